import {
  accountAggregate,
  type Envelope,
  isRegistered,
  namesNoUser,
  type Reply,
  rejectWith,
  type UserId,
} from '@camledger/domain';
import type { StoredReply } from '@camledger/event-store';
import { commandIdReused, firstReplyOn } from './append/first-reply.ts';
import type { RuntimeDeps } from './deps.ts';
import type { Identity } from './identity.ts';
import { commandFingerprint, commandKey, payloadHash } from './keys.ts';
import type { Route } from './route.ts';
import { followThrough, runCommand } from './run-command.ts';
import { storeRemembersKeys } from './state/state-cache.ts';

/**
 * One command, from a parsed envelope on a known route to the reply:
 * actor check (8) -> the reply-log lookup (a repeat of a stored reply, or a
 * reuse of the command id: 128) -> runCommand (payload validation, load,
 * the stream key index, decide, the keyed append, follow-ups) -> remember
 * the reply (an append is its own record; an answer that appended nothing
 * goes to the reply log).
 * Unexpected failures are thrown to the caller, which answers 1500.
 */
export async function execute(
  deps: RuntimeDeps,
  route: Route,
  envelope: Envelope & {
    /** The caller's W3C trace context, checked by the transport (a malformed one is dropped there). */
    readonly traceparent?: string;
  },
): Promise<Reply> {
  const key = commandKey(envelope.actor, envelope.command_id);
  // Two independent reads, asked at once: who the actor is, and whether this
  // command was answered before. The actor's answer still comes first.
  const [actorRejection, earlier] = await Promise.all([
    checkActor(deps, route, envelope.actor),
    lookUpReplyLog(deps, key),
  ]);
  if (actorRejection) return actorRejection;

  const fingerprint = { subject: route.name, payloadHash: payloadHash(envelope.payload) };
  const identity = {
    actor: envelope.actor as UserId | 'system',
    commandId: envelope.command_id,
    correlationId: envelope.correlation_id ?? envelope.command_id,
    key,
    fingerprint: commandFingerprint(fingerprint),
    ...(envelope.traceparent === undefined ? {} : { traceparent: envelope.traceparent }),
  };
  if (earlier) {
    // A record of an answer that appended nothing (a rejection, or an
    // acceptance that changed nothing) may have a twin that appended: two
    // commands under one id in flight at once (a client's retry while the
    // first was still being answered, or a reuse of the id), one answered and
    // recorded just as the other's append landed. The append is the id's
    // effect; it is the answer from then on, for its retry and against a
    // reuse. Only a repeat whose record appended nothing pays this look.
    const appendedReply = appendedNothing(earlier.reply as Reply)
      ? await replyOfKeyedAppend(deps, identity)
      : undefined;
    return appendedReply ?? answerRepeat(earlier, fingerprint, envelope.command_id);
  }

  const { reply, reused, appended } = await runCommand(deps, route.handler, envelope.payload, identity);
  // A reuse of the command id is answered, never remembered as this key's reply.
  if (reused) return reply;
  await deps.faults?.beforeRememberReply?.(key, reply);
  if (appended.length > 0) {
    // An append carries its own reply: its last event holds the command key,
    // the fingerprint and the reply, and the stream key index answers a retry
    // from it. A store that remembers keys for the retention refuses the key
    // on any other append too (128), in the same write: nothing more to
    // store. Otherwise the reply log's copy stands in for that, written
    // behind the reply, not waited for.
    if (!storeRemembersKeys(deps.store)) rememberBehind(deps, key, { ...fingerprint, reply });
    return reply;
  }
  // Nothing appended: only the reply log can hold this answer. But the key
  // may be on an append already (this command, decided differently before,
  // or another command under this id): that append's reply stands.
  const appendedReply = await replyOfKeyedAppend(deps, identity);
  if (appendedReply) return appendedReply;
  // A racing duplicate may have stored its reply first; both then answer
  // with that one. But a racing reuse of the id (another subject or payload,
  // on this worker or another) that was stored first makes this one the
  // reuse: 128, as its retry will be told.
  const kept = await deps.replies.putIfAbsent(key, { ...fingerprint, reply });
  return answerRepeat(kept, fingerprint, envelope.command_id);
}

/** A rejection, or an acceptance that wrote nothing (it names no position). */
const appendedNothing = (reply: Reply): boolean => !reply.ok || reply.position === undefined;

/**
 * The first reply of an append the store holds under the command's key (or
 * 128 if asked otherwise), if any: answered as the first run answered it,
 * its follow-ups applied (they are idempotent: found applied, they add
 * nothing) and its position moved on past theirs.
 */
async function replyOfKeyedAppend(deps: RuntimeDeps, identity: Identity): Promise<Reply | undefined> {
  const keyed = await deps.store.findKeyedAppend?.(identity.key);
  if (!keyed) return undefined;
  const { reply, reused } = firstReplyOn(keyed, identity);
  return reused ? reply : followThrough(deps, keyed, reply, identity);
}

/**
 * Stores an accepted append's reply without holding up the answer. Losing it
 * (a crash, a store error) loses nothing a retry needs, only the 128 for a
 * reuse of the command id that writes another stream.
 */
function rememberBehind(deps: RuntimeDeps, key: string, stored: StoredReply): void {
  if (deps.replies.putBehind) {
    deps.replies.putBehind(key, stored);
    return;
  }
  deps.replies.putIfAbsent(key, stored).catch((error: unknown) => {
    deps.log.warn({ err: String(error) }, 'reply of an accepted append not stored in the reply log');
  });
}

/**
 * The reply-log step, kept apart from the stream key index (runCommand's):
 * it answers rejections, unchanged acceptances and reuses of a command id.
 * A new command (the common case) costs no round trip here when the log can
 * vouch from memory that it holds no reply for the key (`mayHold`); only a
 * key it may hold is looked up. An accepted append whose reply was never
 * stored is found by the key index of the streams the command reads.
 */
const lookUpReplyLog = async (deps: RuntimeDeps, key: string): Promise<StoredReply | undefined> =>
  deps.replies.mayHold?.(key) === false ? undefined : deps.replies.get(key);

async function checkActor(deps: RuntimeDeps, route: Route, actor: string): Promise<Reply | undefined> {
  if (route.channel === 'internal')
    return actor === 'system'
      ? undefined
      : rejectWith('UnknownUser', { param: 'actor', reason: 'internal actions run as "system"' });
  if (namesNoUser(actor)) return rejectWith('UnknownUser', { param: 'actor' });
  let account = await deps.cache.read(accountAggregate, actor);
  // A rejection is never answered from memory alone: the account may have opened since.
  if (!isRegistered(account.state) && !account.verified)
    account = await deps.cache.read(accountAggregate, actor, { refresh: true });
  return isRegistered(account.state) ? undefined : rejectWith('UnknownUser', { param: 'actor' });
}

function answerRepeat(
  earlier: StoredReply,
  now: { subject: string; payloadHash: string },
  commandId: string,
): Reply {
  if (earlier.subject === now.subject && earlier.payloadHash === now.payloadHash)
    return earlier.reply as Reply;
  return commandIdReused(commandId);
}
