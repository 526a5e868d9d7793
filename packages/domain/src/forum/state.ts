import { type Aggregate, evolveByType } from '../kernel/index.ts';
import type { ForumThreadEvent } from './events.ts';

/**
 * A thread is its own stream: posts to different threads never contend, and
 * who may post is not the thread's rule but the network's (membership), read
 * from the network stream at the time of posting.
 */
export interface ForumThreadState {
  readonly exists: boolean;
  readonly threadId: string | null;
  readonly networkId: string | null;
  readonly subject: string;
  /** Posts so far, the opening one included. */
  readonly posts: number;
}

export const initialForumThread: ForumThreadState = {
  exists: false,
  threadId: null,
  networkId: null,
  subject: '',
  posts: 0,
};

export const evolveForumThread = evolveByType<ForumThreadState, ForumThreadEvent>({
  ForumThreadStarted: (state, { data }) => ({
    ...state,
    exists: true,
    threadId: data.threadId,
    networkId: data.networkId,
    subject: data.subject,
    posts: 1,
  }),
  ForumReplyPosted: (state) => ({ ...state, posts: state.posts + 1 }),
});

/** One stream per forum thread (id = thread id). */
export const forumThreadAggregate: Aggregate<ForumThreadState, ForumThreadEvent> = {
  category: 'forumthread',
  initial: initialForumThread,
  evolve: evolveForumThread,
};
