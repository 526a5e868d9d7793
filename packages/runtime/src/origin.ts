import type { RecordedEvent } from '@camledger/event-store';
import type { Identity } from './identity.ts';
import { commandKey } from './keys.ts';

/**
 * The identity of the command that appended `events` (one append), rebuilt
 * from their metadata so that follow-ups run later (by the durable queue)
 * derive the same command ids, keys and new ids as the inline run did. The
 * key is the one stamped on the append's last event when the events hold
 * it (a follow-up's own append carries its origin's extended key), else the
 * key of (actor, command id), which is what a client's command uses.
 */
export function originOf(events: readonly RecordedEvent[]): Identity {
  const first = events[0];
  if (!first) throw new TypeError('an append has at least one event');
  const actor = String(first.metadata.actor ?? 'system');
  const commandId = String(first.metadata.commandId ?? first.position);
  const stamped = events.find((e) => typeof e.metadata.commandKey === 'string')?.metadata.commandKey;
  const traceparent = first.metadata.traceparent;
  return {
    actor: actor as Identity['actor'],
    commandId,
    correlationId: String(first.metadata.correlationId ?? commandId),
    key: typeof stamped === 'string' ? stamped : commandKey(actor, commandId),
    ...(typeof traceparent === 'string' ? { traceparent } : {}),
  };
}
