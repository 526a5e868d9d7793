import { aggregatesByCategory } from '@camledger/domain';
import type { EventStore } from '@camledger/event-store';
import { upcast } from './domain.ts';
import { categoryOf } from './fold.ts';
import { type ExitCode, exitCodes, type Output, UsageError } from './output.ts';

export interface AsOfOptions {
  readonly stream: string;
  /** ISO 8601 instant; events that occurred at or before it count. */
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

const isoInstant = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/** The state of one aggregate as it was at an instant: its events up to then, folded. */
export async function stateAsOf(store: EventStore, { stream, at }: AsOfOptions): Promise<AsOfState> {
  const aggregate = aggregatesByCategory.get(categoryOf(stream));
  if (!aggregate) throw new UsageError(`no aggregate for stream category "${categoryOf(stream)}"`);
  if (!isoInstant.test(at) || Number.isNaN(Date.parse(at)))
    throw new UsageError(`"${at}" is not an ISO 8601 instant such as 2026-01-01T12:00:00Z`);
  const instant = Date.parse(at);
  let state = aggregate.initial;
  let revision = -1;
  let lastEventAt: string | null = null;
  for (const recorded of await store.readStream(stream)) {
    const occurredAt = String(recorded.metadata.occurredAt);
    // A stream's events are in the order they happened, so the first later one ends the fold.
    if (Date.parse(occurredAt) > instant) break;
    state = aggregate.evolve(state, upcast(recorded));
    revision = recorded.revision;
    lastEventAt = occurredAt;
  }
  return { stream, asOf: new Date(instant).toISOString(), revision, lastEventAt, state };
}

/** `camledger audit as-of <stream> <ISO time>`: prints the state as JSON. */
export async function runAsOf(store: EventStore, options: AsOfOptions, output: Output): Promise<ExitCode> {
  output.out(JSON.stringify(await stateAsOf(store, options), null, 2));
  return exitCodes.ok;
}
