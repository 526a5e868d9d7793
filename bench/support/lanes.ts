import { percentile } from './measure.ts';

/** What a closed-loop load run measured. */
export interface LaneResult {
  /** Accepted requests per second of wall time. */
  readonly rate: number;
  /** Latency percentiles of accepted requests, in milliseconds. */
  readonly p50: number;
  readonly p99: number;
  /** Requests that were refused, failed or timed out. */
  readonly failed: number;
  /** Every request sent, accepted or not. */
  readonly count: number;
}

/**
 * A closed-loop load: `inFlight` lanes, each sending its next request
 * (`send(lane)`, true when accepted) as soon as its last one is answered,
 * until `seconds` have passed. Latencies count accepted requests only: a
 * refusal answered at once, or a request that timed out, is not the path
 * being measured and would move p50 and p99; they are counted in `failed`.
 * A `send` that throws counts as failed.
 */
export async function driveLanes(
  inFlight: number,
  seconds: number,
  send: (lane: number) => Promise<boolean>,
): Promise<LaneResult> {
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: inFlight }, async (_, lane) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        let ok: boolean;
        try {
          ok = await send(lane);
        } catch {
          ok = false;
        }
        if (ok) latencies.push(performance.now() - t);
        else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    rate: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failed,
    count: latencies.length + failed,
  };
}
