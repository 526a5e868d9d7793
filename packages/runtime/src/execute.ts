import {
  type AnyCommandHandler,
  accountAggregate,
  type CommandContext,
  commandsByName,
  type Envelope,
  followUpsOf,
  isRegistered,
  type StoredEvent,
  toRejection,
  type UserId,
} from '@camledger/domain';
import type { RecordedEvent } from '@camledger/event-store';
import { commandKey, deterministicId, payloadHash } from '../hashing.ts';
import { type Reply, rejectedReply, rejectWith } from '../wire/replies.ts';
import { decideAndAppend } from './decide-and-append.ts';
import type { WorkerDeps } from './deps.ts';
import type { Route } from './route.ts';

/**
 * One command, from a parsed envelope on a known route to the reply:
 * actor check (8) -> earlier reply of this (actor, command_id) -> payload
 * validation -> decide and append -> follow-ups -> remember the reply.
 * Unexpected failures are thrown to the caller, which answers 1500.
 */
export async function execute(deps: WorkerDeps, route: Route, envelope: Envelope): Promise<Reply> {
  const key = commandKey(envelope.actor, envelope.command_id);
  // Two independent reads, asked at once: who the actor is, and whether this
  // command was answered before. The actor's answer still comes first.
  const [actorRejection, earlier] = await Promise.all([
    checkActor(deps, route, envelope.actor),
    deps.replies.get(key),
  ]);
  if (actorRejection) return actorRejection;

  const fingerprint = { subject: route.name, payloadHash: payloadHash(envelope.payload) };
  if (earlier) return answerRepeat(earlier, fingerprint, envelope.command_id);

  const reply = await run(deps, route.handler, envelope.payload, {
    actor: envelope.actor as UserId | 'system',
    commandId: envelope.command_id,
    correlationId: envelope.correlation_id ?? envelope.command_id,
    key,
  });
  // A racing duplicate may have stored its reply first; both then answer with that one.
  const kept = await deps.replies.putIfAbsent(key, { ...fingerprint, reply });
  return kept.reply as Reply;
}

async function checkActor(deps: WorkerDeps, route: Route, actor: string): Promise<Reply | undefined> {
  if (route.channel === 'internal')
    return actor === 'system'
      ? undefined
      : rejectWith('UnknownUser', { param: 'actor', reason: 'internal actions run as "system"' });
  const account = await deps.cache.read(accountAggregate, actor);
  return isRegistered(account.state) ? undefined : rejectWith('UnknownUser', { param: 'actor' });
}

function answerRepeat(
  earlier: { subject: string; payloadHash: string; reply: unknown },
  now: { subject: string; payloadHash: string },
  commandId: string,
): Reply {
  if (earlier.subject === now.subject && earlier.payloadHash === now.payloadHash)
    return earlier.reply as Reply;
  return rejectWith('MissingParameter', {
    param: 'command_id',
    command_id: commandId,
    reason: 'command_id was already used by this actor for a different command or payload',
  });
}

export interface Identity {
  readonly actor: UserId | 'system';
  readonly commandId: string;
  readonly correlationId: string;
  readonly key: string;
}

/** Validate, decide, append, then run the follow-ups the appended events ask for. */
async function run(
  deps: WorkerDeps,
  handler: AnyCommandHandler,
  payload: unknown,
  identity: Identity,
): Promise<Reply> {
  const parsed = handler.payload.safeParse(payload);
  if (!parsed.success) return rejectedReply(toRejection(parsed.error));
  const now = deps.clock();
  // Every attempt (after a conflict) counts ids from 0 again, so all attempts
  // of one command, and its retries, name the things it creates the same way.
  const context = (): CommandContext => {
    let n = 0;
    return {
      now,
      actor: identity.actor,
      commandId: identity.commandId,
      newId: (prefix) => deterministicId(prefix, identity.key, n++),
      config: deps.domain,
    };
  };
  const { reply, appended } = await decideAndAppend(deps, handler, parsed.data, context, identity);
  await runFollowUps(deps, appended, identity);
  return reply;
}

/**
 * Effects on other aggregates (DOMAIN.md §1), run before the reply so the
 * client can rely on them at once. Each follow-up's command id is derived
 * from its origin: when the whole command is retried, the follow-ups repeat
 * under the same ids and, being idempotent, add nothing twice.
 */
export async function runFollowUps(
  deps: WorkerDeps,
  appended: readonly RecordedEvent[],
  origin: Identity,
): Promise<void> {
  for (const event of appended) {
    const followUps = followUpsOf(event as unknown as StoredEvent);
    for (const [i, followUp] of followUps.entries()) {
      const handler = commandsByName.get(followUp.command);
      const commandId = `${origin.commandId}>${event.stream}@${event.revision}#${i}`;
      if (!handler) throw new Error(`follow-up ${followUp.command} has no handler`);
      const reply = await run(deps, handler, followUp.payload, {
        actor: 'system',
        commandId,
        correlationId: origin.correlationId,
        key: `${origin.key}>${event.stream}@${event.revision}#${i}`,
      });
      if (!reply.ok)
        deps.log.error(
          { followUp: followUp.command, commandId, correlationId: origin.correlationId, reply },
          'follow-up rejected',
        );
    }
  }
}
