import {
  type CommandContext,
  commandsByName,
  type DomainConfig,
  type DomainEvent,
  type FollowUp,
  followUpsOf,
  type StateReader,
  type StoredEvent,
  streamName,
} from '@camledger/domain';
import type { RecordedEvent } from '@camledger/event-store';
import type { ParkedFollowUp } from './parked.ts';

// Every follow-up an event asked for (the domain's own reactors say which)
// must have reached its aggregate, or be parked where an operator sees it.
// "Reached" is asked of the domain itself: the follow-up command, decided
// against the state at the end of history, must find nothing left to do.
// Follow-up commands are idempotent (DOMAIN.md §1), so an applied one is
// accepted unchanged; one that would still append is missing, and one the
// domain refuses can never be applied (its effect conflicts with history).

export interface FollowUpFinding {
  readonly origin: RecordedEvent;
  readonly severity: 'violation' | 'warning';
  readonly message: string;
}

interface Origin {
  readonly recorded: RecordedEvent;
  readonly index: number;
  readonly followUp: FollowUp;
}

/** The states and revisions of every stream at the end of history. */
export interface FinalStates {
  readonly states: ReadonlyMap<string, unknown>;
  readonly revisions: ReadonlyMap<string, number>;
}

function readerOver({ states, revisions }: FinalStates): StateReader {
  return {
    async read(aggregate, id) {
      const stream = streamName(aggregate.category, id);
      return {
        stream,
        state: states.has(stream) ? (states.get(stream) as never) : aggregate.initial,
        revision: revisions.get(stream) ?? -1,
      };
    },
  };
}

const parkedKey = (stream: string, revision: number, command = '*') => `${stream}@${revision} ${command}`;

export class FollowUpLedger {
  private readonly origins: Origin[] = [];
  private lastOccurredAt = 0;

  /** Remembers the follow-ups `event` (the upcast form of `recorded`) asks for. */
  note(recorded: RecordedEvent, event: DomainEvent): void {
    const at = Date.parse(String(recorded.metadata.occurredAt));
    if (at > this.lastOccurredAt) this.lastOccurredAt = at;
    // Reactors read the event as the domain folds it: upcast, with its place in the log.
    const stored = { ...recorded, type: event.type, data: event.data } as unknown as StoredEvent;
    for (const [index, followUp] of followUpsOf(stored).entries())
      this.origins.push({ recorded, index, followUp });
  }

  /** Decides each remembered follow-up against the final states; answers what is missing or refused. */
  async findings(
    final: FinalStates,
    config: DomainConfig,
    parked: readonly ParkedFollowUp[],
  ): Promise<FollowUpFinding[]> {
    const reader = readerOver(final);
    const parkedBy = new Map(parked.map((p) => [parkedKey(p.originStream, p.originRevision, p.command), p]));
    const findings: FollowUpFinding[] = [];
    for (const origin of this.origins) {
      const problem = await this.problemOf(origin, reader, config);
      if (problem === null) continue;
      const { recorded, followUp } = origin;
      const park =
        parkedBy.get(parkedKey(recorded.stream, recorded.revision, followUp.command)) ??
        parkedBy.get(parkedKey(recorded.stream, recorded.revision));
      findings.push(
        park
          ? {
              origin: recorded,
              severity: 'warning',
              message: `${followUp.command} is parked: ${park.reason}`,
            }
          : { origin: recorded, severity: 'violation', message: problem },
      );
    }
    return findings;
  }

  private async problemOf(
    { recorded, index, followUp }: Origin,
    reader: StateReader,
    config: DomainConfig,
  ): Promise<string | null> {
    const handler = commandsByName.get(followUp.command);
    if (!handler) return `${followUp.command} has no handler in the domain`;
    const parsed = handler.payload.safeParse(followUp.payload);
    if (!parsed.success) return `${followUp.command} asked with a payload the domain refuses`;
    const context: CommandContext = {
      now: new Date(this.lastOccurredAt),
      actor: 'system',
      commandId: `${String(recorded.metadata.commandId)}>${recorded.stream}@${recorded.revision}#${index}`,
      // A follow-up that still wants a new id has not been applied; any id will tell that.
      newId: (prefix) => `${prefix}_${'0'.repeat(26)}`,
      config,
    };
    const decision = handler.decide(parsed.data, await handler.load(parsed.data, context, reader), context);
    if (!decision.ok)
      return `${followUp.command} ${JSON.stringify(followUp.payload)} is refused by the domain: ${decision.name} (${decision.code})${
        typeof decision.details.reason === 'string' ? `, ${decision.details.reason}` : ''
      }`;
    if (!decision.write || decision.write.events.length === 0) return null;
    return `${followUp.command} ${JSON.stringify(followUp.payload)} was never applied: ${decision.write.stream} lacks ${decision.write.events
      .map((e) => e.type)
      .join(', ')}`;
  }
}
