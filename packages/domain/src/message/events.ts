import type { DomainEvent } from '../kernel/index.ts';

// Events of a private thread (stream `privatethread-<threadId>`).

/** A user wrote to another: the thread's participants are these two, for good. */
export type PrivateThreadStarted = DomainEvent<
  'PrivateThreadStarted',
  {
    readonly threadId: string;
    readonly senderId: string;
    readonly recipientId: string;
    readonly subject: string;
    readonly body: string;
  }
>;

/** A participant replied in the thread. */
export type PrivateReplyPosted = DomainEvent<
  'PrivateReplyPosted',
  { readonly threadId: string; readonly senderId: string; readonly body: string }
>;

export type PrivateThreadEvent = PrivateThreadStarted | PrivateReplyPosted;

/** Schema versions of this slice's events (all at 1 so far). */
export const messageEventVersions = {
  PrivateThreadStarted: 1,
  PrivateReplyPosted: 1,
} as const satisfies Record<PrivateThreadEvent['type'], number>;
