import type { RecordedEvent } from '../port.ts';

/**
 * Gathers events read one by one into whole appends. EventStoreDB gives each
 * event of a multi-event append a log position of its own (each is written
 * committed by itself), while the port promises one position per append:
 * that of its last event, which is also what the append answered. Events
 * wait here, per stream, until the last of their append arrives (the marker
 * the store writes), then come out together, every one at the last one's
 * position. Per stream, because a work queue's redeliveries may interleave
 * appends of different streams; an append's own events are never apart in
 * the log.
 */
export class AppendGatherer<T = undefined> {
  private readonly pending = new Map<string, { recorded: RecordedEvent; with: T }[]>();

  /** The whole append once `recorded` ends it; otherwise nothing yet. */
  add(recorded: RecordedEvent, withIt: T): { recorded: RecordedEvent; with: T }[] | undefined {
    const gathered = this.pending.get(recorded.stream) ?? [];
    gathered.push({ recorded, with: withIt });
    if (!recorded.lastInAppend) {
      this.pending.set(recorded.stream, gathered);
      return undefined;
    }
    this.pending.delete(recorded.stream);
    const { position } = recorded;
    return gathered.map((g) => ({ ...g, recorded: { ...g.recorded, position } }));
  }

  /** Events whose append never ended in what was read (a read cut short): as they are. */
  rest(): { recorded: RecordedEvent; with: T }[] {
    const left = [...this.pending.values()].flat();
    this.pending.clear();
    return left;
  }
}

/** The events of whole appends, in order, each at its append's position. */
export function gatherAppends(events: readonly RecordedEvent[]): RecordedEvent[] {
  const gatherer = new AppendGatherer();
  const out = events.flatMap((e) => (gatherer.add(e, undefined) ?? []).map((g) => g.recorded));
  return [...out, ...gatherer.rest().map((g) => g.recorded)];
}
