import { openEventStore, type WorkerConfig } from '@camledger/command-worker';
import { type EventStore, NoSuchLog } from '@camledger/event-store';
import type { NatsConnection } from 'nats';
import { openNats, shownServers } from './connection.ts';
import { UsageError } from './output.ts';

/** NATS as the worker connects to it (see connection.ts); `edge` uses it too. */
export const connectNats = openNats;

/** An open event store and how to let go of it (and of its NATS connection). */
export interface OpenStore {
  readonly store: EventStore;
  /** The NATS connection the JetStream store was opened on (absent for other stores). */
  readonly nc?: NatsConnection;
  close(): Promise<void>;
}

/** Why an auditor has nothing to read, naming what to check. */
function noHistory(config: WorkerConfig, detail: string): UsageError {
  switch (config.store) {
    case 'jetstream':
      return new UsageError(
        `no history under CAMLEDGER_PREFIX=${config.prefix} on ${shownServers(config)}: ${detail} (is the prefix right?)`,
      );
    case 'memory':
      return new UsageError(
        'CAMLEDGER_STORE=memory: a memory store lives inside one process, so the CLI has no history to read',
      );
    case 'eventstoredb':
      return new UsageError(`no history in the EventStoreDB of EVENTSTORE_CONNECTION_STRING: ${detail}`);
  }
}

/**
 * The store CAMLEDGER_STORE names, opened as the worker opens it but
 * read-only: an auditor creates nothing (a mistyped prefix used to get a new,
 * empty stream). A store with no history at all is a usage error (exit 2)
 * naming the prefix, not a clean report.
 */
export async function openStore(config: WorkerConfig): Promise<OpenStore> {
  const nc = config.store === 'jetstream' ? await openNats(config) : undefined;
  const release = async (store?: EventStore) => {
    await store?.close();
    await nc?.close();
  };
  let store: EventStore | undefined;
  try {
    store = await openEventStore(config, nc, { readOnly: true });
    if (!(await holdsAnEvent(store))) throw noHistory(config, 'its event log is empty');
  } catch (error) {
    await release(store);
    throw error instanceof NoSuchLog ? noHistory(config, error.message) : error;
  }
  const opened = store;
  return { store: opened, ...(nc ? { nc } : {}), close: () => release(opened) };
}

/**
 * Whether the log holds an event at all: a log never written, and one whose
 * messages were all purged or deleted (it keeps its last position), are
 * both empty (docs/cli.md: no history, exit 2). The read stops at the first
 * event; one that finds none asks nothing more than the log's head.
 */
async function holdsAnEvent(store: EventStore): Promise<boolean> {
  const reading = store.readAll()[Symbol.asyncIterator]();
  try {
    return !(await reading.next()).done;
  } finally {
    await reading.return?.();
  }
}
