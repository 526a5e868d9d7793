import { queryPayloads, type Rejected } from '@camledger/domain';
import type { Sql } from '../store/port.ts';
import { isRejected, type NetworkRow, visibleNetwork } from './network.ts';
import { listPage, pageOf } from './paging.ts';
import { apiDatetime, defineQuery, found, person, refused } from './query.ts';

// A network's forum: open to every user on a public network, to members
// only on a private or hidden one (a hidden one is 5001 to others first).

async function readableForum(db: Sql, actor: string, network_id: string): Promise<NetworkRow | Rejected> {
  const network = await visibleNetwork(db, actor, network_id);
  if (isRejected(network)) return network;
  if (network.type !== 'public' && !network.is_member) return refused('NotNetworkMember', { network_id });
  return network;
}

interface ThreadRow {
  readonly thread_id: string;
  readonly network_id: string;
  readonly subject: string;
  readonly author_id: string;
  readonly author_username: string | null;
  readonly post_count: number;
  readonly last_posted_at: string;
}

export const forumGetList = defineQuery({
  name: 'forum.get_list',
  payload: queryPayloads['forum.get_list'],
  async run({ db, actor }, p) {
    const forum = await readableForum(db, actor, p.network_id);
    if (isRejected(forum)) return forum;
    return found(
      await listPage<ThreadRow>(
        db,
        'threads',
        pageOf(p),
        {
          select: `SELECT t.*, a.username AS author_username FROM forum_threads t
            LEFT JOIN accounts a ON a.user_id = t.author_id
            WHERE t.network_id = $1 ORDER BY t.last_posted_at DESC, t.thread_id`,
          count: 'SELECT count(*) AS total FROM forum_threads WHERE network_id = $1',
          params: [p.network_id],
        },
        (t) => ({
          thread_id: t.thread_id,
          subject: t.subject,
          author: person(t.author_id, t.author_username),
          posts: t.post_count,
          last_posted_at: apiDatetime(t.last_posted_at),
        }),
      ),
    );
  },
});

export const forumGetThread = defineQuery({
  name: 'forum.get_thread',
  payload: queryPayloads['forum.get_thread'],
  async run({ db, actor }, p) {
    // A thread of a deleted network has no row any more: 5200 as well.
    const [thread] = await db.query<ThreadRow>('SELECT * FROM forum_threads WHERE thread_id = $1', [
      p.thread_id,
    ]);
    if (!thread) return refused('ThreadNotFound', { thread_id: p.thread_id });
    const forum = await readableForum(db, actor, thread.network_id);
    if (isRejected(forum)) return forum;
    const posts = await listPage<{
      author_id: string;
      username: string | null;
      body: string;
      posted_at: string;
    }>(
      db,
      'posts',
      pageOf(p),
      {
        select: `SELECT p.author_id, a.username, p.body, p.posted_at FROM forum_posts p
          LEFT JOIN accounts a ON a.user_id = p.author_id WHERE p.thread_id = $1 ORDER BY p.seq`,
        count: 'SELECT count(*) AS total FROM forum_posts WHERE thread_id = $1',
        params: [p.thread_id],
      },
      (post) => ({
        author: person(post.author_id, post.username),
        body: post.body,
        posted_at: apiDatetime(post.posted_at),
      }),
    );
    return found({
      thread_id: thread.thread_id,
      network_id: thread.network_id,
      subject: thread.subject,
      ...posts,
    });
  },
});
