import {
  connectJetStreamStore,
  deleteJetStreamNamespace,
  type EventStore,
  jetStreamReplyLog,
  memoryEventStore,
  memoryReplyLog,
  type ReplyLog,
} from '@camledger/event-store';
import { execute, type RuntimeDeps, replyRetentionMs, routeOf } from '@camledger/runtime';
import { connect } from 'nats';
import { afterAll, beforeAll } from 'vitest';
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

/**
 * The store the tests of one describe block share: opened before them,
 * closed after them. Read its fields inside a test (they exist from then on).
 */
export function sharedStoreOf(open: () => Promise<SharedStore>): SharedStore {
  let opened: SharedStore | undefined;
  beforeAll(async () => {
    opened = await open();
  });
  afterAll(async () => {
    await opened?.close();
  });
  const get = () => {
    if (!opened) throw new Error('the shared store is opened in beforeAll, read it inside a test');
    return opened;
  };
  return {
    get store() {
      return get().store;
    },
    get replies() {
      return get().replies;
    },
    close: () => get().close(),
  };
}

/** One command through `deps` (a runtime standing for one worker), as the worker would run it. */
export const sendThrough = (
  deps: RuntimeDeps,
  channel: 'cmd' | 'internal',
  name: string,
  commandId: string,
  actor: string,
  payload: Record<string, unknown>,
) => {
  const route = routeOf(channel, name);
  if (!route) throw new Error(`no route for ${channel}.${name}`);
  return execute(deps, route, { command_id: commandId, actor, payload });
};
