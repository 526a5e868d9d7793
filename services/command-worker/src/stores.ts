import {
  type CheckpointStore,
  connectEventStoreDb,
  connectJetStreamStore,
  type EventStore,
  eventStoreDbCheckpoints,
  eventStoreDbReplyLog,
  jetStreamCheckpoints,
  jetStreamReplyLog,
  memoryCheckpoints,
  memoryEventStore,
  memoryReplyLog,
  type ReplyLog,
} from '@camledger/event-store';
import type { NatsConnection } from 'nats';
import type { WorkerConfig } from './config.ts';

/** DOMAIN.md §2: command ids are remembered for at least 7 days. */
export const replyRetentionMs = 7 * 24 * 60 * 60 * 1000;

export interface Stores {
  readonly events: EventStore;
  readonly replies: ReplyLog;
  readonly checkpoints: CheckpointStore;
}

/** The event store and reply log that CAMLEDGER_STORE names. */
export async function openStores(config: WorkerConfig, nc: NatsConnection): Promise<Stores> {
  switch (config.store) {
    case 'memory':
      return {
        events: memoryEventStore(),
        replies: memoryReplyLog({ retentionMs: replyRetentionMs }),
        checkpoints: memoryCheckpoints(),
      };
    case 'jetstream': {
      const options = { prefix: config.prefix, replicas: config.replicas };
      return {
        events: await connectJetStreamStore(nc, { ...options, duplicateWindowMs: config.duplicateWindowMs }),
        replies: await jetStreamReplyLog(nc, { ...options, retentionMs: replyRetentionMs }),
        checkpoints: await jetStreamCheckpoints(nc, options),
      };
    }
    case 'eventstoredb': {
      const connection = config.eventStoreConnectionString as string;
      return {
        events: await connectEventStoreDb(connection),
        replies: await eventStoreDbReplyLog(connection, { retentionMs: replyRetentionMs }),
        checkpoints: await eventStoreDbCheckpoints(connection),
      };
    }
  }
}
