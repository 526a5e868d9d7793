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

/**
 * The request, as the NATS message the edge sends on, is over the server's
 * max_payload (a body under 1 MiB grows in its envelope, and a form's
 * `%01` is six bytes as JSON): refused like a body over 1 MiB, 413 with 128.
 */
export class TooLargeForNats extends Error {
  constructor(
    readonly bytes: number,
    readonly maxPayload: number,
  ) {
    super(`the request is ${bytes} bytes as a NATS message, over the server's max_payload of ${maxPayload}`);
    this.name = 'TooLargeForNats';
  }
}
