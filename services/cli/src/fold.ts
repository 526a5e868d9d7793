import { aggregatesByCategory, categoryOf, type DomainEvent } from '@camledger/domain';
import type { RecordedEvent } from '@camledger/event-store';
import { upcast } from './domain.ts';

// Folds history the way the worker does: upcast on read, then the
// aggregate's own evolve, one state per stream. Replay, verify and as-of
// share it, so an auditor sees exactly what a command handler would load.

export const idOf = (stream: string): string => stream.slice(stream.indexOf('-') + 1);

export type FoldStep =
  | {
      readonly ok: true;
      readonly event: DomainEvent;
      readonly before: unknown;
      readonly after: unknown;
      /** Revision of the stream's previous event (-1 before its first). */
      readonly previousRevision: number;
    }
  | { readonly ok: false; readonly reason: string; readonly previousRevision: number };

export class HistoryFold {
  readonly states = new Map<string, unknown>();
  private readonly revisions = new Map<string, number>();

  step(recorded: RecordedEvent): FoldStep {
    const previousRevision = this.revisions.get(recorded.stream) ?? -1;
    this.revisions.set(recorded.stream, recorded.revision);
    const aggregate = aggregatesByCategory.get(categoryOf(recorded.stream));
    if (!aggregate)
      return {
        ok: false,
        reason: `no aggregate for category "${categoryOf(recorded.stream)}"`,
        previousRevision,
      };
    const before = this.states.has(recorded.stream) ? this.states.get(recorded.stream) : aggregate.initial;
    try {
      const event = upcast(recorded);
      const after = aggregate.evolve(before, event);
      this.states.set(recorded.stream, after);
      return { ok: true, event, before, after, previousRevision };
    } catch (error) {
      // evolve matches event types exhaustively, so an unknown type or a
      // shape it cannot read throws; the auditor reports it and goes on.
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return { ok: false, reason: `evolve failed: ${reason}`, previousRevision };
    }
  }
}
