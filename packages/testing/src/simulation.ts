import type { Decision, DomainEvent } from '../kernel/index.ts';
import { commandsByName, followUpsOf } from '../registry.ts';
import { memoryReader, testContext } from '../testing/index.ts';
import { toRejection } from '../validation/index.ts';

// A tiny in-memory worker for property tests: a command goes the whole way
// (validation, load, decide), its write is appended at the revision it was
// decided on, and the follow-ups its events ask for run right after, as the
// worker runs them. Test support only.

export type Streams = Record<string, readonly DomainEvent[]>;

export async function play(
  streams: Streams,
  command: string,
  payload: unknown,
  actor: string,
  step: number,
): Promise<Decision> {
  const handler = commandsByName.get(command);
  if (!handler) throw new Error(`no handler for ${command}`);
  const parsed = handler.payload.safeParse(payload);
  if (!parsed.success) return toRejection(parsed.error);
  const ctx = testContext({
    actor: actor as `usr_${string}` | 'system',
    commandId: `cmd-${step}`,
    firstNewId: 1000 + step * 10,
  });
  const decision = handler.decide(
    parsed.data,
    await handler.load(parsed.data, ctx, memoryReader(streams)),
    ctx,
  );
  if (!decision.ok || !decision.write) return decision;
  const { stream, expectedRevision, events } = decision.write;
  const history = streams[stream] ?? [];
  if (history.length - 1 !== expectedRevision) throw new Error(`${stream}: decided on a stale revision`);
  streams[stream] = [...history, ...events];
  for (const [i, event] of events.entries()) {
    const stored = {
      stream,
      revision: history.length + i,
      type: event.type,
      data: event.data,
      metadata: {
        commandId: ctx.commandId,
        correlationId: ctx.commandId,
        actor,
        occurredAt: '',
        schemaVersion: 1,
      },
    };
    for (const followUp of followUpsOf(stored)) {
      const done = await play(streams, followUp.command, followUp.payload, 'system', step + 0.5);
      if (!done.ok) throw new Error(`follow-up ${followUp.command} refused: ${done.code}`);
    }
  }
  return decision;
}
