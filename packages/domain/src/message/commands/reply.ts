import { z } from 'zod';
import { accept, defineCommand, isId, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { PrivateReplyPosted } from '../events.ts';
import { isParticipant, privateThreadAggregate } from '../state.ts';

export const replyPayload = z.object({ thread_id: param.ref(), body: param.text(1, 4096) });

/** message.reply: only the thread's two participants write in it. */
export const replyMessage = defineCommand({
  name: 'message.reply',
  internal: false,
  payload: replyPayload,
  load: async (p, _ctx, reader) => ({
    // An id of the wrong form never becomes a stream name: it is simply not found.
    thread: isId('pmt', p.thread_id) ? await reader.read(privateThreadAggregate, p.thread_id) : null,
  }),
  decide(p, { thread }, ctx) {
    const actor = String(ctx.actor);
    if (thread === null || !thread.state.exists)
      return reject('PrivateThreadNotFound', { thread_id: p.thread_id });
    if (!isParticipant(thread.state, actor))
      return reject('PrivateThreadReplyForbidden', { thread_id: p.thread_id });
    const posted: PrivateReplyPosted = {
      type: 'PrivateReplyPosted',
      data: { threadId: p.thread_id, senderId: actor, body: p.body },
    };
    return accept('PrivateReplySent', thread, [posted]);
  },
});
