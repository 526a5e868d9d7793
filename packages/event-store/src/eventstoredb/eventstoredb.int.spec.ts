// No EventStoreDB runs on the CI machine: the contract runs only when
// EVENTSTORE_CONNECTION_STRING names one, and says so loudly otherwise.
import { describe } from 'vitest';
import {
  checkpointContract,
  eventStoreContract,
  replyLogContract,
  workQueueContract,
} from '../contract/index.ts';
import { eventStoreDbCheckpoints } from './checkpoints.ts';
import { eventStoreDbReplyLog } from './reply-log.ts';
import { connectEventStoreDb } from './store.ts';
import { openEventStoreDbWorkQueue } from './work-queue.ts';

const connection = process.env.EVENTSTORE_CONNECTION_STRING;
const title = connection ? 'eventstoredb' : 'eventstoredb (skipped: set EVENTSTORE_CONNECTION_STRING to run)';
if (!connection) console.log('EventStoreDB contract skipped: set EVENTSTORE_CONNECTION_STRING to run it.');

describe.runIf(Boolean(connection))(title, () => {
  // Streams carry a token of each test, so the shared server needs no namespaces.
  eventStoreContract('eventstoredb', {
    isolatesNamespaces: false,
    open: () => connectEventStoreDb(connection!),
  });
  replyLogContract('eventstoredb', {
    open: ({ retentionMs }) =>
      eventStoreDbReplyLog(connection!, { retentionMs, prefix: `cltest${Date.now().toString(36)}_` }),
  });
  // One server, no namespaces: each test's queue gets a group of its own
  // (prefix), and the deliver-from-start cases see the whole shared log.
  workQueueContract('eventstoredb', {
    store: () => connectEventStoreDb(connection!),
    open: (namespace, options) =>
      openEventStoreDbWorkQueue(connection!, { ...options, prefix: `cltest_${namespace}_` }),
  });
  checkpointContract('eventstoredb', {
    open: () => eventStoreDbCheckpoints(connection!, { prefix: `cltest${Date.now().toString(36)}_` }),
  });
});
