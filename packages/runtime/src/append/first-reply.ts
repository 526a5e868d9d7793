import { acceptedReply, type Reply, rejectWith } from '@camledger/domain';
import type { RecordedEvent } from '@camledger/event-store';
import type { RuntimeDeps } from '../deps.ts';
import type { Identity } from '../identity.ts';
import { logPosition } from '../log-position.ts';
import { type KeyedReply, keyedReplyOf } from '../state/state-cache.ts';

/** What was asked now under a command key already found on an append (no fingerprint: a follow-up, always a retry). */
type AskedAgain = Pick<Identity, 'commandId' | 'fingerprint'>;

/**
 * The command key is on an append already: its first reply again, or 128
 * when the key was asked for something else (a reuse of the command id).
 * The first reply's `position` also covered the claims written beside the
 * append (named on its last event); a retry reads where they landed, so it
 * answers the same position, not an earlier one.
 */
export async function firstReply(
  deps: RuntimeDeps,
  stream: string,
  first: KeyedReply,
  asked: AskedAgain,
): Promise<{ reply: Reply; reused?: true }> {
  if (asked.fingerprint && first.fingerprint && first.fingerprint !== asked.fingerprint)
    return { reply: commandIdReused(asked.commandId), reused: true };
  let position = first.position;
  for (const claim of first.beside ?? []) {
    const [claimed] = await deps.store.readStream(claim);
    if (claimed) position = Math.max(position, logPosition(claimed.position));
  }
  return { reply: acceptedReply(first, { stream, revision: first.revision, position }) };
}

/** The first reply of the append whose events the store answered for a key (its last event carries it). */
export function firstReplyOn(
  deps: RuntimeDeps,
  events: readonly RecordedEvent[],
  asked: AskedAgain,
): Promise<{ reply: Reply; reused?: true }> {
  const last = events[events.length - 1];
  const keyed = last && keyedReplyOf(last);
  if (!last || !keyed) throw new Error(`command ${asked.commandId} is on an append that carries no reply`);
  return firstReply(deps, last.stream, keyed.reply, asked);
}

/** 128: the command id was used by this actor for another subject or payload. */
export const commandIdReused = (commandId: string): Reply =>
  rejectWith('MissingParameter', {
    param: 'command_id',
    command_id: commandId,
    reason: 'command_id was already used by this actor for a different command or payload',
  });
