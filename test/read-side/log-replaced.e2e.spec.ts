import { connectJetStreamStore, deleteJetStreamNamespace } from '@camledger/event-store';
import { openReadStore, startProjector } from '@camledger/read-model';
import { testReadStorePlace } from '@camledger/read-model/testing';
import { connect } from 'nats';
import { describe, expect, it } from 'vitest';
import { natsUrl, uniquePrefix } from '../support/test-worker.ts';
import { appliedThrough } from './support/rows.ts';

// An operator deletes a prefix's events stream and creates it again (or a
// worker does, on a fresh start) while a projector runs. The rows of the old
// log must not stay served, nor be mixed with the new log's.

const registered = (userId: string, username: string) => [
  {
    id: crypto.randomUUID(),
    type: 'AccountRegistered',
    data: { userId, username, displayName: '' },
    metadata: { occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
  },
];

describe('a projector whose log is recreated under it', () => {
  it('notices, drops the old rows and builds from the start of the new log', async () => {
    const nc = await connect({ servers: natsUrl });
    const prefix = uniquePrefix('logre');
    const place = await testReadStorePlace('postgres');
    const readStore = await openReadStore(place.config);
    const events = await connectJetStreamStore(nc, { prefix, replicas: 1 });
    const projector = startProjector({ events, readStore, logCheckMs: 100, retryMs: 50 });
    try {
      await events.append('account-usr_old', registered('usr_old', 'old'), { expectedRevision: 'no_stream' });
      await appliedThrough(readStore, await events.headPosition());

      await deleteJetStreamNamespace(nc, prefix);
      const again = await connectJetStreamStore(nc, { prefix, replicas: 1 });
      for (const name of ['new1', 'new2'])
        await again.append(`account-usr_${name}`, registered(`usr_${name}`, name), {
          expectedRevision: 'no_stream',
        });

      let users: unknown[] = [];
      for (let i = 0; i < 200; i++) {
        users = await readStore.query('SELECT user_id FROM accounts ORDER BY user_id').catch(() => []);
        if (users.length === 2) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(users).toEqual([{ user_id: 'usr_new1' }, { user_id: 'usr_new2' }]);
    } finally {
      await projector.stop();
      await readStore.close();
      await place.dispose();
      await deleteJetStreamNamespace(nc, prefix);
      await nc.close();
    }
  });
});
