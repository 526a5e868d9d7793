import {
  connectJetStreamStore,
  deleteJetStreamNamespace,
  type EventStore,
  jetStreamReplyLog,
  memoryEventStore,
  memoryReplyLog,
  type ReplyLog,
} from '@camledger/event-store';
import { replyRetentionMs } from '@camledger/runtime';
import { connect } from 'nats';
import { natsUrl, uniquePrefix } from '../support/test-worker.ts';

/** One store and reply log that several runtimes (standing for several workers) share. */
export interface SharedStore {
  readonly store: EventStore;
  readonly replies: ReplyLog;
  close(): Promise<void>;
}

export const memoryShared = async (): Promise<SharedStore> => ({
  store: memoryEventStore(),
  replies: memoryReplyLog({ retentionMs: replyRetentionMs }),
  close: async () => {},
});

/** The real JetStream adapter under a prefix of its own, deleted on close. */
export async function jetStreamShared(options: { duplicateWindowMs?: number } = {}): Promise<SharedStore> {
  const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
  const prefix = uniquePrefix('rt');
  const store = await connectJetStreamStore(nc, { prefix, replicas: 1, ...options });
  const replies = await jetStreamReplyLog(nc, { prefix, replicas: 1, retentionMs: replyRetentionMs });
  return {
    store,
    replies,
    async close() {
      await replies.close();
      await store.close();
      await deleteJetStreamNamespace(nc, prefix);
      await nc.close();
    },
  };
}
