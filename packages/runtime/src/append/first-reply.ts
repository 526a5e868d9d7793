import { acceptedReply, type Reply, rejectWith } from '@camledger/domain';
import type { RecordedEvent } from '@camledger/event-store';
import type { Identity } from '../identity.ts';
import { type KeyedReply, keyedReplyOf } from '../state/state-cache.ts';

/** What was asked now under a command key already found on an append (no fingerprint: a follow-up, always a retry). */
type AskedAgain = Pick<Identity, 'commandId' | 'fingerprint'>;

/**
 * The command key is on an append already: its first reply again, or 128
 * when the key was asked for something else (a reuse of the command id).
 * The append came after the command's claims, so its own position is the
 * first reply's.
 */
export function firstReply(
  stream: string,
  first: KeyedReply,
  asked: AskedAgain,
): { reply: Reply; reused?: true } {
  if (asked.fingerprint && first.fingerprint && first.fingerprint !== asked.fingerprint)
    return { reply: commandIdReused(asked.commandId), reused: true };
  return { reply: acceptedReply(first, { stream, revision: first.revision, position: first.position }) };
}

/** The first reply of the append whose events the store answered for a key (its last event carries it). */
export function firstReplyOn(
  events: readonly RecordedEvent[],
  asked: AskedAgain,
): { reply: Reply; reused?: true } {
  const last = events[events.length - 1];
  const keyed = last && keyedReplyOf(last);
  if (!last || !keyed) throw new Error(`command ${asked.commandId} is on an append that carries no reply`);
  return firstReply(last.stream, keyed.reply, asked);
}

/** 128: the command id was used by this actor for another subject or payload. */
export const commandIdReused = (commandId: string): Reply =>
  rejectWith('MissingParameter', {
    param: 'command_id',
    command_id: commandId,
    reason: 'command_id was already used by this actor for a different command or payload',
  });
