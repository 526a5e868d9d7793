import type { EventStore } from '@camledger/event-store';
import { SingleBar } from 'cli-progress';
import { categoryOf } from './domain.ts';
import { HistoryFold } from './fold.ts';
import { type ExitCode, exitCodes, type Output } from './output.ts';

export interface ReplayOptions {
  readonly json?: boolean;
  /** Plain progress lines every this many events when not on a terminal. */
  readonly progressEvery?: number;
}

export interface Unfoldable {
  readonly position: number;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly reason: string;
}

export interface ReplayReport {
  readonly events: number;
  readonly streams: number;
  readonly byType: Readonly<Record<string, number>>;
  readonly byCategory: Readonly<Record<string, number>>;
  readonly unfoldable: readonly Unfoldable[];
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

const increment = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * A bar on a terminal, plain lines now and then otherwise. The total is the
 * log's head position when the read began (a replay reads that snapshot), the
 * bar's value the position reached, so it ends at exactly 100 %. The bar is
 * cleared when done: what stays on screen is the report.
 */
function progressReporter(output: Output, head: number) {
  if (output.tty) {
    const bar = new SingleBar({
      stream: output.tty,
      format: 'replay |{bar}| {percentage}% | position {value}/{total} | {events} events | {rate} ev/s',
      barsize: 20,
      // The cursor stays visible: Ctrl-C ends the process before a hidden one could be shown again.
      hideCursor: false,
      clearOnComplete: true,
    });
    bar.start(head, 0, { events: 0, rate: 0 });
    return {
      tick(position: number, events: number, rate: number) {
        bar.update(position, { events, rate: Math.round(rate) });
      },
      stop: () => bar.stop(),
    };
  }
  return {
    tick(position: number, events: number, rate: number) {
      output.err(`replay: position ${position} of ${head}, ${events} events, ${Math.round(rate)} ev/s`);
    },
    stop: () => {},
  };
}

/** Reads every event in global order and folds each stream through the domain. */
export async function replay(
  store: EventStore,
  output: Output,
  options: ReplayOptions = {},
): Promise<ReplayReport> {
  const fold = new HistoryFold();
  const byType: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  const unfoldable: Unfoldable[] = [];
  const every = options.progressEvery ?? 100_000;
  const head = await store.headPosition();
  const progress = progressReporter(output, head);
  // A bar redraws often; a plain line only now and then.
  const tickEvery = output.tty ? 1024 : every;
  const started = performance.now();
  let events = 0;
  try {
    for await (const recorded of store.readAll()) {
      events++;
      increment(byType, recorded.type);
      increment(byCategory, categoryOf(recorded.stream));
      const step = fold.step(recorded);
      if (!step.ok)
        unfoldable.push({
          position: recorded.position,
          stream: recorded.stream,
          revision: recorded.revision,
          type: recorded.type,
          reason: step.reason,
        });
      if (events % tickEvery === 0)
        progress.tick(recorded.position, events, events / ((performance.now() - started) / 1000));
    }
  } finally {
    progress.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  // A stream none of whose events folded holds no state, but it is a stream of the log.
  const stateless = new Set(unfoldable.map((u) => u.stream).filter((stream) => !fold.states.has(stream)));
  return {
    events,
    streams: fold.states.size + stateless.size,
    byType,
    byCategory,
    unfoldable,
    seconds,
    eventsPerSecond: seconds > 0 ? events / seconds : 0,
  };
}

const table = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `  ${key.padEnd(28)} ${n}`);

/** `camledger audit replay`: exit 1 when some event cannot be folded. */
export async function runReplay(
  store: EventStore,
  options: ReplayOptions,
  output: Output,
): Promise<ExitCode> {
  const report = await replay(store, output, options);
  if (options.json) output.out(JSON.stringify(report));
  else {
    output.out(
      `${report.events} events in ${report.streams} streams, ${report.seconds.toFixed(2)} s, ${Math.round(report.eventsPerSecond)} events/s`,
    );
    output.out('by stream category:');
    for (const line of table(report.byCategory)) output.out(line);
    output.out('by event type:');
    for (const line of table(report.byType)) output.out(line);
    output.out(`cannot be folded: ${report.unfoldable.length}`);
    for (const u of report.unfoldable)
      output.out(`  ${u.position} ${u.stream}@${u.revision} ${u.type}: ${u.reason}`);
  }
  return report.unfoldable.length === 0 ? exitCodes.ok : exitCodes.failed;
}
