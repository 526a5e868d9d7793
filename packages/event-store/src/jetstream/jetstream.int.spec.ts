// The contract against the real NATS server (NATS_URL, default 127.0.0.1:4222),
// each test under a prefix of its own, all deleted afterwards.
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll } from 'vitest';
import { eventStoreContract, replyLogContract } from '../contract/index.ts';
import { deleteJetStreamNamespace } from './namespace.ts';
import { jetStreamReplyLog } from './reply-log.ts';
import { connectJetStreamStore } from './store.ts';

let nc: NatsConnection;
const servers = process.env.NATS_URL ?? '127.0.0.1:4222';
beforeAll(async () => {
  nc = await connect({ servers });
});
afterAll(async () => {
  await nc.drain();
});

eventStoreContract('jetstream', {
  isolatesNamespaces: true,
  open: (namespace) => connectJetStreamStore(nc, { prefix: `cltest_${namespace}`, replicas: 1 }),
  async dispose(namespaces) {
    for (const ns of namespaces) await deleteJetStreamNamespace(nc, `cltest_${ns}`);
  },
});

const replyPrefixes: string[] = [];
replyLogContract('jetstream', {
  open: ({ retentionMs }) => {
    const prefix = `cltest_replies_${Date.now().toString(36)}_${replyPrefixes.length}`;
    replyPrefixes.push(prefix);
    return jetStreamReplyLog(nc, { prefix, replicas: 1, retentionMs });
  },
  async dispose() {
    for (const p of replyPrefixes) await deleteJetStreamNamespace(nc, p);
  },
});
