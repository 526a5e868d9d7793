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

/**
 * The event store CAMLEDGER_STORE names, on its own: the worker opens it with
 * its other stores below; the CLI's auditors open it `readOnly`, so a
 * mistyped prefix is refused (`NoSuchLog`) instead of given a new log.
 */
export async function openEventStore(
  config: WorkerConfig,
  /** Needed by the JetStream store only. */
  nc: NatsConnection | undefined,
  options: { readonly readOnly?: boolean } = {},
): Promise<EventStore> {
  switch (config.store) {
    case 'memory':
      return memoryEventStore();
    case 'jetstream':
      if (!nc) throw new TypeError('CAMLEDGER_STORE=jetstream needs a NATS connection');
      return connectJetStreamStore(nc, {
        prefix: config.prefix,
        replicas: config.replicas,
        duplicateWindowMs: config.duplicateWindowMs,
        ...(options.readOnly ? { readOnly: true } : {}),
      });
    case 'eventstoredb':
      return connectEventStoreDb(config.eventStoreConnectionString as string);
  }
}

/** The event store and reply log that CAMLEDGER_STORE names. */
export async function openStores(config: WorkerConfig, nc: NatsConnection): Promise<Stores> {
  const events = await openEventStore(config, nc);
  switch (config.store) {
    case 'memory':
      return {
        events,
        replies: memoryReplyLog({ retentionMs: replyRetentionMs }),
        checkpoints: memoryCheckpoints(),
      };
    case 'jetstream': {
      const options = { prefix: config.prefix, replicas: config.replicas };
      return {
        events,
        replies: await jetStreamReplyLog(nc, { ...options, retentionMs: replyRetentionMs }),
        checkpoints: await jetStreamCheckpoints(nc, options),
      };
    }
    case 'eventstoredb': {
      const connection = config.eventStoreConnectionString as string;
      return {
        events,
        replies: await eventStoreDbReplyLog(connection, { retentionMs: replyRetentionMs }),
        checkpoints: await eventStoreDbCheckpoints(connection),
      };
    }
  }
}
