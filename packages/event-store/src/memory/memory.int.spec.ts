import {
  checkpointContract,
  eventStoreContract,
  replyLogContract,
  workQueueContract,
} from '../contract/index.ts';
import type { EventStore } from '../port.ts';
import { memoryCheckpoints } from './checkpoints.ts';
import { memoryReplyLog } from './reply-log.ts';
import { memoryEventStore } from './store.ts';
import { memoryWorkQueue } from './work-queue.ts';

// One store per namespace; reopening a namespace returns its store, as a
// restarted process would find its storage again.
const stores = new Map<string, EventStore>();
eventStoreContract('memory', {
  isolatesNamespaces: true,
  async open(namespace) {
    const store = stores.get(namespace) ?? memoryEventStore();
    stores.set(namespace, store);
    return store;
  },
});

// The same contract for a store that keeps no keys, as EventStoreDB: its keyed cases take the other branch.
const keyless = new Map<string, EventStore>();
eventStoreContract('memory without key memory', {
  isolatesNamespaces: true,
  async open(namespace) {
    const store = keyless.get(namespace) ?? memoryEventStore({ remembersKeys: false });
    keyless.set(namespace, store);
    return store;
  },
});

replyLogContract('memory', { open: async ({ retentionMs }) => memoryReplyLog({ retentionMs }) });

checkpointContract('memory', { open: async () => memoryCheckpoints() });

workQueueContract('memory', {
  async store(namespace) {
    const store = stores.get(namespace) ?? memoryEventStore();
    stores.set(namespace, store);
    return store;
  },
  open: async (namespace, options) => memoryWorkQueue(stores.get(namespace)!, options),
});
