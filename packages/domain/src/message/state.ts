import { type Aggregate, evolveByType } from '../kernel/index.ts';
import type { PrivateThreadEvent } from './events.ts';

/**
 * A private thread is its own stream: its one invariant, "only its
 * participants write in it", concerns nothing else, and different
 * conversations never contend.
 */
export interface PrivateThreadState {
  readonly exists: boolean;
  readonly threadId: string | null;
  /** Sender first, then recipient. */
  readonly participants: readonly string[];
  readonly subject: string;
  readonly messages: number;
}

export const initialPrivateThread: PrivateThreadState = {
  exists: false,
  threadId: null,
  participants: [],
  subject: '',
  messages: 0,
};

export const evolvePrivateThread = evolveByType<PrivateThreadState, PrivateThreadEvent>({
  PrivateThreadStarted: (state, { data }) => ({
    ...state,
    exists: true,
    threadId: data.threadId,
    participants: [data.senderId, data.recipientId],
    subject: data.subject,
    messages: 1,
  }),
  PrivateReplyPosted: (state) => ({ ...state, messages: state.messages + 1 }),
});

/** One stream per private thread (id = `pmt_…`). */
export const privateThreadAggregate: Aggregate<PrivateThreadState, PrivateThreadEvent> = {
  category: 'privatethread',
  initial: initialPrivateThread,
  evolve: evolvePrivateThread,
};

export const isParticipant = (state: PrivateThreadState, userId: string): boolean =>
  state.exists && state.participants.includes(userId);
