import { memoryEventStore } from '@camledger/event-store';
import { afterEach, describe, expect, it } from 'vitest';
import { openReadStore } from '../store/open.ts';
import { type TestReadStorePlace, testReadStorePlace } from '../testing/read-stores.ts';
import { readCheckpoint } from './apply-batch.ts';
import { startProjector } from './projector.ts';

// A read store remembers which log it follows. Pointed at another (a new
// memory store, a recreated prefix) it must not serve the old log's rows
// nor resume from the old log's position: it builds again from zero.

const registered = (userId: string, username: string) => [
  {
    id: crypto.randomUUID(),
    type: 'AccountRegistered',
    data: { userId, username, displayName: '' },
    metadata: { occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
  },
];

async function settle(store: Awaited<ReturnType<typeof openReadStore>>, position: number) {
  for (let i = 0; i < 500 && (await readCheckpoint(store).catch(() => null)) !== position; i++)
    await new Promise((r) => setTimeout(r, 20));
}

let place: TestReadStorePlace | undefined;
afterEach(async () => {
  await place?.dispose();
});

describe('a read store pointed at another log', () => {
  it('drops the old rows and builds from the start of the new log', async () => {
    place = await testReadStorePlace('postgres');
    const first = memoryEventStore();
    await first.append('account-usr_a', registered('usr_a', 'ann'), { expectedRevision: 'no_stream' });
    await first.append('account-usr_b', registered('usr_b', 'ben'), { expectedRevision: 'no_stream' });
    const store = await openReadStore(place.config);
    try {
      const one = startProjector({ events: first, readStore: store });
      await settle(store, await first.headPosition());
      await one.stop();
      expect(await store.query('SELECT user_id FROM accounts ORDER BY user_id')).toEqual([
        { user_id: 'usr_a' },
        { user_id: 'usr_b' },
      ]);

      const second = memoryEventStore();
      await second.append('account-usr_c', registered('usr_c', 'cat'), { expectedRevision: 'no_stream' });
      const two = startProjector({ events: second, readStore: store });
      await settle(store, await second.headPosition());
      await two.stop();
      expect(await store.query('SELECT user_id FROM accounts ORDER BY user_id')).toEqual([
        { user_id: 'usr_c' },
      ]);
      expect(await readCheckpoint(store)).toBe(await second.headPosition());
    } finally {
      await store.close();
    }
  });
});
