import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

/** Runs `task` `runs` times after `warmup` unmeasured runs; returns each run's milliseconds. */
export async function timeRuns(
  task: () => unknown | Promise<unknown>,
  runs: number,
  warmup = 2,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await task();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await task();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/**
 * The nearest-rank percentile: the smallest value with at least `p` % of the
 * values at or below it (rank ceil(p/100 · n), 1-based). Of 100 samples the
 * p99 is the 99th smallest, not the largest.
 */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
};

/** The line every BENCHMARKS.md section starts with: which machine, which day. */
export function machineLine(): string {
  let nats = 'unknown';
  try {
    nats = execFileSync('/usr/sbin/nats-server', ['--version'], { encoding: 'utf8' }).trim();
  } catch {}
  return `${new Date().toISOString().slice(0, 10)} · ${cpus().length} cores · ${cpus()[0]?.model ?? 'cpu'} · node ${process.version} · ${nats}`;
}
