import type {
  ForumReplyPosted,
  ForumThreadStarted,
  PrivateReplyPosted,
  PrivateThreadStarted,
} from '@camledger/domain';
import { dataOf, type Handlers } from './projected-event.ts';

// Forum threads with their posts, and private threads with their messages.
// A post's or message's time is when its command ran (metadata.occurredAt).
// A thread keeps its count and last time, so listings sort without a join.

export const conversationHandlers: Handlers = {
  async ForumThreadStarted(tx, event) {
    const d = dataOf<ForumThreadStarted['data']>(event);
    // A thread opened just before its network was deleted is gone with it.
    const inserted = await tx.query(
      `INSERT INTO forum_threads (thread_id, network_id, subject, author_id, post_count, last_posted_at)
       SELECT $1, $2, $3, $4, 1, $5 WHERE EXISTS (SELECT 1 FROM networks WHERE network_id = $2)
       ON CONFLICT (thread_id) DO NOTHING RETURNING thread_id`,
      [d.threadId, d.networkId, d.subject, d.authorId, event.occurredAt],
    );
    if (inserted.length > 0)
      await tx.query(
        'INSERT INTO forum_posts (thread_id, seq, author_id, body, posted_at) VALUES ($1, 0, $2, $3, $4)',
        [d.threadId, d.authorId, d.body, event.occurredAt],
      );
  },
  async ForumReplyPosted(tx, event) {
    const d = dataOf<ForumReplyPosted['data']>(event);
    const [thread] = await tx.query<{ seq: number }>(
      `UPDATE forum_threads SET post_count = post_count + 1, last_posted_at = $2
       WHERE thread_id = $1 RETURNING post_count - 1 AS seq`,
      [d.threadId, event.occurredAt],
    );
    if (thread)
      await tx.query(
        'INSERT INTO forum_posts (thread_id, seq, author_id, body, posted_at) VALUES ($1, $2, $3, $4, $5)',
        [d.threadId, thread.seq, d.authorId, d.body, event.occurredAt],
      );
  },
  async PrivateThreadStarted(tx, event) {
    const d = dataOf<PrivateThreadStarted['data']>(event);
    const inserted = await tx.query(
      `INSERT INTO private_threads (thread_id, subject, sender_id, recipient_id, message_count, last_message_at)
       VALUES ($1, $2, $3, $4, 1, $5) ON CONFLICT (thread_id) DO NOTHING RETURNING thread_id`,
      [d.threadId, d.subject, d.senderId, d.recipientId, event.occurredAt],
    );
    if (inserted.length > 0)
      await tx.query(
        'INSERT INTO private_messages (thread_id, seq, from_id, body, sent_at) VALUES ($1, 0, $2, $3, $4)',
        [d.threadId, d.senderId, d.body, event.occurredAt],
      );
  },
  async PrivateReplyPosted(tx, event) {
    const d = dataOf<PrivateReplyPosted['data']>(event);
    const [thread] = await tx.query<{ seq: number }>(
      `UPDATE private_threads SET message_count = message_count + 1, last_message_at = $2
       WHERE thread_id = $1 RETURNING message_count - 1 AS seq`,
      [d.threadId, event.occurredAt],
    );
    if (thread)
      await tx.query(
        'INSERT INTO private_messages (thread_id, seq, from_id, body, sent_at) VALUES ($1, $2, $3, $4, $5)',
        [d.threadId, thread.seq, d.senderId, d.body, event.occurredAt],
      );
  },
};
