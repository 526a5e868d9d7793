import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, derivedIdTaken, reject } from '../../kernel/index.ts';
import { resolveUsername } from '../../network/index.ts';
import { param } from '../../validation/index.ts';
import type { PrivateThreadStarted } from '../events.ts';
import { privateThreadAggregate } from '../state.ts';

export const sendPayload = z.object({
  // Any text: a name nobody holds is 6201, not a format error.
  to_username: param.name(1, 128),
  subject: param.text(1, 128),
  body: param.text(1, 4096),
});

/** message.send: starts a private thread between the actor and the user named `to_username`. */
export const sendMessage = defineCommand({
  name: 'message.send',
  internal: false,
  payload: sendPayload,
  async load(p, ctx, reader) {
    // The new thread's id is settled here, once: decide writes to the stream read here.
    const threadId = ctx.newId('pmt');
    return {
      threadId,
      thread: await reader.read(privateThreadAggregate, threadId),
      recipient: await resolveUsername(reader, p.to_username),
    };
  },
  decide(p, { threadId, thread, recipient }, ctx) {
    const actor = String(ctx.actor);
    if (recipient === actor) return reject('MessageToSelf', { to_username: p.to_username });
    if (recipient === null) return reject('RecipientNotFound', { to_username: p.to_username });
    // The worker derives the id from the command id: a thread already there
    // between the same two people, on the same subject, is this command done
    // before. Any other is not the actor's to be sent into (128).
    if (thread.state.exists) {
      const [sender, to] = thread.state.participants;
      const same = sender === actor && to === recipient && thread.state.subject === p.subject;
      return same
        ? acceptUnchanged('PrivateMessageSent', { thread_id: threadId })
        : derivedIdTaken(ctx.commandId);
    }
    const started: PrivateThreadStarted = {
      type: 'PrivateThreadStarted',
      data: { threadId, senderId: actor, recipientId: recipient, subject: p.subject, body: p.body },
    };
    return accept('PrivateMessageSent', thread, [started], { thread_id: threadId });
  },
});
