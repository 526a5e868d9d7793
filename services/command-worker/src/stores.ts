import { followUpCategories, followUpEventTypes } from '@camledger/domain';
import {
  connectEventStoreDb,
  connectJetStreamStore,
  type EventStore,
  eventStoreDbReplyLog,
  jetStreamReplyLog,
  listParkedWork,
  memoryEventStore,
  memoryReplyLog,
  memoryWorkQueue,
  openEventStoreDbWorkQueue,
  openJetStreamWorkQueue,
  type ParkedWork,
  type ReplyLog,
  type WorkQueue,
  type WorkQueueOptions,
} from '@camledger/event-store';
import { replyRetentionMs } from '@camledger/runtime';
import type { NatsConnection } from 'nats';
import type { WorkerConfig } from './config.ts';

export interface Stores {
  readonly events: EventStore;
  readonly replies: ReplyLog;
  /** The durable follow-up queue all workers of the prefix share. */
  readonly followUps: WorkQueue;
}

/** How the follow-up queue may be tuned (tests shorten the waits); which events it carries is the domain's. */
export type FollowUpQueueSettings = Omit<WorkQueueOptions, 'types' | 'name'>;

/** The name of the follow-up queue in every store: one durable consumer per prefix. */
export const followUpQueueName = 'follow-ups';

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

/**
 * The follow-up queue of CAMLEDGER_STORE's log: every append holding an
 * event a reactor of the domain answers (`followUpEventTypes`, in the
 * streams that can hold one, `followUpCategories`), handed to
 * one worker of the prefix at a time, durably. Opening it creates or updates
 * its durable consumer: for workers only (an auditor lists what it parked
 * with `listParkedFollowUps`).
 */
export async function openFollowUpQueue(
  config: WorkerConfig,
  nc: NatsConnection,
  events: EventStore,
  settings: FollowUpQueueSettings = {},
): Promise<WorkQueue> {
  const options = {
    ...settings,
    name: followUpQueueName,
    types: followUpEventTypes,
    categories: followUpCategories,
  };
  switch (config.store) {
    case 'memory':
      return memoryWorkQueue(events, options);
    case 'jetstream':
      return openJetStreamWorkQueue(nc, { ...options, prefix: config.prefix, replicas: config.replicas });
    case 'eventstoredb':
      return openEventStoreDbWorkQueue(config.eventStoreConnectionString as string, options);
  }
}

/**
 * What the follow-up queue parked, read-only (no consumer made or changed):
 * for `camledger audit verify`. Only the JetStream log keeps parked items
 * outside a worker; the memory log has none once its worker is gone, and
 * EventStoreDB's listing needs its queue opened (not offered to an auditor).
 */
export async function listParkedFollowUps(
  config: WorkerConfig,
  nc: NatsConnection | undefined,
): Promise<ParkedWork[] | undefined> {
  if (config.store !== 'jetstream' || !nc) return undefined;
  return listParkedWork(nc, { prefix: config.prefix, name: followUpQueueName });
}

/** The event store, reply log and follow-up queue that CAMLEDGER_STORE names. */
export async function openStores(
  config: WorkerConfig,
  nc: NatsConnection,
  /** An event store the caller opened (and closes); else CAMLEDGER_STORE's is opened. */
  given: EventStore | undefined,
  followUps: FollowUpQueueSettings = {},
): Promise<Stores> {
  const events = given ?? (await openEventStore(config, nc));
  const queue = () => openFollowUpQueue(config, nc, events, followUps);
  switch (config.store) {
    case 'memory':
      return { events, replies: memoryReplyLog({ retentionMs: replyRetentionMs }), followUps: await queue() };
    case 'jetstream':
      return {
        events,
        replies: await jetStreamReplyLog(nc, {
          prefix: config.prefix,
          replicas: config.replicas,
          retentionMs: replyRetentionMs,
          // A new command then skips the lookup (docs/architecture.md, exactly-once point 7).
          replicateKeys: {},
        }),
        followUps: await queue(),
      };
    case 'eventstoredb':
      return {
        events,
        replies: await eventStoreDbReplyLog(config.eventStoreConnectionString as string, {
          retentionMs: replyRetentionMs,
        }),
        followUps: await queue(),
      };
  }
}
