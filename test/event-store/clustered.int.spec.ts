import {
  connectJetStreamStore,
  deleteJetStreamNamespace,
  UnsafeNatsServer,
  WrongExpectedRevision,
} from '@camledger/event-store';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateNatsCluster, startNatsCluster } from '../support/nats-cluster.ts';

// The events stream replicated on three nodes. Whether the server refuses
// concurrent appends at one expected sequence there depends on its version:
// where it does not (2.9), camledger must refuse to run on it; where it does,
// exactly one of many racing appends may win, as on a single server.

let cluster: PrivateNatsCluster;
let nc: NatsConnection;
beforeAll(async () => {
  cluster = await startNatsCluster();
  nc = await connect({ servers: cluster.servers.split(',') });
}, 60_000);
afterAll(async () => {
  await nc?.close();
  await cluster?.dispose();
});

const olderThan210 = (version: string) => {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major < 2 || (major === 2 && minor < 10);
};

describe('a replicated events stream', () => {
  it('is refused on a server that does not keep expected sequences in a cluster, and keeps them where it is accepted', async () => {
    const prefix = `clustered${Date.now().toString(36)}`;
    try {
      const opening = connectJetStreamStore(nc, { prefix, replicas: 3 });
      if (olderThan210(nc.info?.version ?? '0')) {
        await expect(opening).rejects.toBeInstanceOf(UnsafeNatsServer);
        return;
      }
      const store = await opening;
      const event = () => ({ id: crypto.randomUUID(), type: 'Raced', data: {}, metadata: {} });
      await store.append('item-race', [event()], { expectedRevision: 'no_stream' });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, () => store.append('item-race', [event()], { expectedRevision: 0 })),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes)
        if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(WrongExpectedRevision);
      expect(await store.readStream('item-race')).toHaveLength(2);
    } finally {
      await deleteJetStreamNamespace(nc, prefix).catch(() => {});
    }
  }, 60_000);
});
