import type { WorkerConfig } from '@camledger/command-worker';
import {
  connectEventStoreDb,
  connectJetStreamStore,
  type EventStore,
  memoryEventStore,
} from '@camledger/event-store';
import { connect, type NatsConnection } from 'nats';

/** An open event store and how to let go of it (and of its NATS connection). */
export interface OpenStore {
  readonly store: EventStore;
  close(): Promise<void>;
}

export const connectNats = (config: WorkerConfig): Promise<NatsConnection> =>
  connect({ servers: [...config.natsServers], name: 'camledger-cli' });

/**
 * The store CAMLEDGER_STORE names, as the worker opens it (DOMAIN.md §5). A
 * memory store lives inside one process, so from the command line it is
 * always empty; it is there so the same configuration works everywhere.
 */
export async function openStore(config: WorkerConfig): Promise<OpenStore> {
  switch (config.store) {
    case 'memory': {
      const store = memoryEventStore();
      return { store, close: () => store.close() };
    }
    case 'jetstream': {
      const nc = await connectNats(config);
      const store = await connectJetStreamStore(nc, { prefix: config.prefix, replicas: config.replicas });
      return {
        store,
        async close() {
          await store.close();
          await nc.drain();
        },
      };
    }
    case 'eventstoredb': {
      const store = await connectEventStoreDb(config.eventStoreConnectionString as string);
      return { store, close: () => store.close() };
    }
  }
}
