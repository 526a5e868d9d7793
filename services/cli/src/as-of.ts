import { aggregatesByCategory, parseDateTime } from '@camledger/domain';
import type { EventStore } from '@camledger/event-store';
import { categoryOf, upcast } from './domain.ts';
import { type ExitCode, exitCodes, type Output, UsageError } from './output.ts';

export interface AsOfOptions {
  readonly stream: string;
  /** A date-time as the wire takes it (`yyyy-mm-dd hh:mm:ss` UTC or ISO 8601); events at or before it count. */
  readonly at: string;
}

export interface AsOfState {
  readonly stream: string;
  readonly asOf: string;
  /** Revision of the last event folded; -1 when the stream had none yet. */
  readonly revision: number;
  readonly lastEventAt: string | null;
  readonly state: unknown;
}

/** The state of one aggregate as it was at an instant: its events up to then, folded. */
export async function stateAsOf(store: EventStore, { stream, at }: AsOfOptions): Promise<AsOfState> {
  const aggregate = aggregatesByCategory.get(categoryOf(stream));
  if (!aggregate) throw new UsageError(`no aggregate for stream category "${categoryOf(stream)}"`);
  const parsed = parseDateTime(at);
  if (!parsed.ok) throw new UsageError(`"${at}": ${parsed.reason}`);
  const instant = Date.parse(parsed.iso);
  const recorded = await store.readStream(stream);
  if (recorded.length === 0) throw new NoSuchStream(stream);
  let state = aggregate.initial;
  let revision = -1;
  let lastEventAt: string | null = null;
  for (const event of recorded) {
    const occurredAt = String(event.metadata.occurredAt);
    // A stream's events are in the order they happened, so the first later one ends the fold.
    if (Date.parse(occurredAt) > instant) break;
    state = aggregate.evolve(state, upcast(event));
    revision = event.revision;
    lastEventAt = occurredAt;
  }
  return { stream, asOf: new Date(instant).toISOString(), revision, lastEventAt, state };
}

/** The stream has no events at all: nothing was ever done to that aggregate (or its name is wrong). */
export class NoSuchStream extends Error {
  override readonly name = 'NoSuchStream';
  constructor(readonly stream: string) {
    super(`stream ${stream} has no events`);
  }
}

/** `camledger audit as-of <stream> <time>`: prints the state as JSON; exit 1 for a stream with no events. */
export async function runAsOf(store: EventStore, options: AsOfOptions, output: Output): Promise<ExitCode> {
  try {
    output.out(JSON.stringify(await stateAsOf(store, options), null, 2));
    return exitCodes.ok;
  } catch (error) {
    if (!(error instanceof NoSuchStream)) throw error;
    output.err(`camledger: ${error.message}`);
    return exitCodes.failed;
  }
}
