import {
  connectJetStreamStore,
  deleteJetStreamNamespace,
  type EventStore,
  jetStreamReplyLog,
  memoryEventStore,
  memoryReplyLog,
  type ReplyLog,
} from '@camledger/event-store';
import { createRuntimeDeps, type RuntimeDeps, replyRetentionMs } from '@camledger/runtime';
import { connect, type NatsConnection } from 'nats';
import { afterAll, describe, expect, it } from 'vitest';
import { natsUrl, uniquePrefix } from '../support/test-worker.ts';
import { sendThrough as send } from './stores.ts';

// DOMAIN.md §2: a retry gets the first reply. A rejection appends nothing, so
// only the reply log remembers it; a new command skips that log when its
// keys replica vouches for the key being absent. Here the state changes
// after the rejection so that the same command would now be accepted: the
// retry, on the worker that answered it or on another one, must still get
// the first rejection and create nothing.

const staleness = 250;

interface Workers {
  readonly store: EventStore;
  readonly a: RuntimeDeps;
  readonly b: RuntimeDeps;
  close(): Promise<void>;
}

async function memoryWorkers(): Promise<Workers> {
  const store = memoryEventStore();
  const replies = memoryReplyLog({ retentionMs: replyRetentionMs });
  return {
    store,
    a: createRuntimeDeps({ store, replies }),
    b: createRuntimeDeps({ store, replies }),
    close: async () => {},
  };
}

/** Two workers as the worker opens its stores: each its own connection and keys replica. */
async function jetStreamWorkers(): Promise<Workers> {
  const prefix = uniquePrefix('rr');
  const opened: { nc: NatsConnection; store: EventStore; replies: ReplyLog }[] = [];
  for (let i = 0; i < 2; i++) {
    const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
    const store = await connectJetStreamStore(nc, { prefix, replicas: 1 });
    const replies = await jetStreamReplyLog(nc, {
      prefix,
      replicas: 1,
      retentionMs: replyRetentionMs,
      replicateKeys: { maxStalenessMs: staleness },
    });
    opened.push({ nc, store, replies });
  }
  const [one, two] = opened as [(typeof opened)[0], (typeof opened)[0]];
  return {
    store: one.store,
    a: createRuntimeDeps({ store: one.store, replies: one.replies }),
    b: createRuntimeDeps({ store: two.store, replies: two.replies }),
    async close() {
      for (const o of opened) await o.replies.close();
      await deleteJetStreamNamespace(one.nc, prefix);
      for (const o of opened) await o.nc.close();
    },
  };
}

function scenario(open: () => Promise<Workers>) {
  let workers: Workers | undefined;
  afterAll(async () => {
    await workers?.close();
  });

  it('a 4005 retried after the clashing folder was renamed is 4005 again on either worker, and creates nothing', async () => {
    workers = await open();
    const { a, b, store } = workers;

    const user = await send(a, 'internal', 'account.register', 'u-1', 'system', {
      username: `rr${Date.now()}`,
    });
    const actor = user.ok ? (user.result.user_id as string) : '';
    const garden = await send(a, 'cmd', 'folder.create', 'f-1', actor, { name: 'Garden', parent_id: 0 });
    const folderId = garden.ok ? (garden.result.folder_id as string) : '';
    const clash = await send(a, 'cmd', 'folder.create', 'f-2', actor, { name: 'GARDEN', parent_id: 0 });
    expect(clash).toMatchObject({ ok: false, code: 4005 });

    // The name is free now: sent as new, the create would be accepted.
    expect(
      await send(a, 'cmd', 'folder.rename', 'f-3', actor, { folder_id: folderId, name: 'Yard' }),
    ).toMatchObject({
      ok: true,
    });
    // The client's retry comes after its timeout, later than the replica's staleness bound.
    await new Promise((r) => setTimeout(r, staleness + 50));
    const before = (await store.readStream(`foldertree-${actor}`)).length;
    for (const deps of [b, a])
      expect(
        await send(deps, 'cmd', 'folder.create', 'f-2', actor, { name: 'GARDEN', parent_id: 0 }),
      ).toEqual(clash);
    expect(await store.readStream(`foldertree-${actor}`)).toHaveLength(before);
  });
}

describe('a retried rejection, memory store', () => scenario(memoryWorkers));
describe('a retried rejection, JetStream with a keys replica per worker', () => scenario(jetStreamWorkers));
