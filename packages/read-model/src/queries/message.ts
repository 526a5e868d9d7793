import { queryPayloads } from '@camledger/domain';
import { listPage, pageOf } from './paging.ts';
import { apiDatetime, defineQuery, found, person, refused } from './query.ts';

// Private threads: only their two participants see them.

interface PrivateThreadRow {
  readonly thread_id: string;
  readonly subject: string;
  readonly sender_id: string;
  readonly sender_username: string | null;
  readonly recipient_id: string;
  readonly recipient_username: string | null;
  readonly message_count: number;
  readonly last_message_at: string;
}

const threadView = `SELECT t.*, s.username AS sender_username, r.username AS recipient_username
  FROM private_threads t
  LEFT JOIN accounts s ON s.user_id = t.sender_id
  LEFT JOIN accounts r ON r.user_id = t.recipient_id`;

export const messageGetList = defineQuery({
  name: 'message.get_list',
  payload: queryPayloads['message.get_list'],
  async run({ db, actor }, p) {
    return found(
      await listPage<PrivateThreadRow>(
        db,
        'threads',
        pageOf(p),
        {
          select: `${threadView} WHERE t.sender_id = $1 OR t.recipient_id = $1
            ORDER BY t.last_message_at DESC, t.thread_id`,
          count: 'SELECT count(*) AS total FROM private_threads WHERE sender_id = $1 OR recipient_id = $1',
          params: [actor],
        },
        (t) => ({
          thread_id: t.thread_id,
          subject: t.subject,
          with:
            t.sender_id === actor
              ? person(t.recipient_id, t.recipient_username)
              : person(t.sender_id, t.sender_username),
          messages: t.message_count,
          last_message_at: apiDatetime(t.last_message_at),
        }),
      ),
    );
  },
});

export const messageGetThread = defineQuery({
  name: 'message.get_thread',
  payload: queryPayloads['message.get_thread'],
  async run({ db, actor }, p) {
    const [thread] = await db.query<PrivateThreadRow>(`${threadView} WHERE t.thread_id = $1`, [p.thread_id]);
    if (!thread) return refused('PrivateThreadNotFound', { thread_id: p.thread_id });
    if (thread.sender_id !== actor && thread.recipient_id !== actor)
      return refused('PrivateThreadViewForbidden', { thread_id: p.thread_id });
    const messages = await listPage<{
      from_id: string;
      username: string | null;
      body: string;
      sent_at: string;
    }>(
      db,
      'messages',
      pageOf(p),
      {
        select: `SELECT m.from_id, a.username, m.body, m.sent_at FROM private_messages m
          LEFT JOIN accounts a ON a.user_id = m.from_id WHERE m.thread_id = $1 ORDER BY m.seq`,
        count: 'SELECT count(*) AS total FROM private_messages WHERE thread_id = $1',
        params: [p.thread_id],
      },
      (m) => ({ from: person(m.from_id, m.username), body: m.body, sent_at: apiDatetime(m.sent_at) }),
    );
    return found({
      thread_id: thread.thread_id,
      subject: thread.subject,
      participants: [
        person(thread.sender_id, thread.sender_username),
        person(thread.recipient_id, thread.recipient_username),
      ],
      ...messages,
    });
  },
});
