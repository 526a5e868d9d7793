/**
 * The delay before a failed follow-up is tried again, after `attempt` (1 on
 * the first delivery): exponential from `baseMs`, capped at `capMs`, with
 * "equal jitter" (between half and all of it) so that the items one outage
 * failed do not all come back in the same instant.
 */
export function backoff(
  attempt: number,
  {
    baseMs = 250,
    capMs = 60_000,
    random = Math.random,
  }: { baseMs?: number; capMs?: number; random?: () => number } = {},
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
