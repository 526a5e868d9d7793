/** No worker or query server answered in time: HTTP 503 with code 1500 (DOMAIN.md §6). */
export class Unavailable extends Error {
  constructor(readonly subject: string) {
    super(`no answer on ${subject} in time`);
    this.name = 'Unavailable';
  }
}

/** nats.js reports "no responders" (503) and timeouts by code; both mean nobody answered. */
export const nobodyAnswered = (error: unknown): boolean => {
  const code = (error as { code?: string }).code;
  return code === '503' || code === 'TIMEOUT' || code === 'REQUEST_TIMEOUT';
};
