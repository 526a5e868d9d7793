import type { DomainEvent } from '../kernel/index.ts';

// Events of a forum thread (stream `forumthread-<threadId>`). Both carry the
// network id so a projection of a network's forum needs nothing else; the
// author is repeated from the metadata because it is what a reader shows.

/** A member opened a thread in a network's forum with its first post. */
export type ForumThreadStarted = DomainEvent<
  'ForumThreadStarted',
  {
    readonly threadId: string;
    readonly networkId: string;
    readonly authorId: string;
    readonly subject: string;
    readonly body: string;
  }
>;

/** A member replied in a thread. */
export type ForumReplyPosted = DomainEvent<
  'ForumReplyPosted',
  { readonly threadId: string; readonly networkId: string; readonly authorId: string; readonly body: string }
>;

export type ForumThreadEvent = ForumThreadStarted | ForumReplyPosted;

/** Schema versions of this slice's events (all at 1 so far). */
export const forumEventVersions = {
  ForumThreadStarted: 1,
  ForumReplyPosted: 1,
} as const satisfies Record<ForumThreadEvent['type'], number>;
