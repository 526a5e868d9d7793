import { memoryEventStore } from '@camledger/event-store';
import { afterEach, describe, expect, it } from 'vitest';
import { openReadStore } from '../store/open.ts';
import type { ReadStore } from '../store/port.ts';
import { readStoreKinds, type TestReadStorePlace, testReadStorePlace } from '../testing/read-stores.ts';
import { readCheckpoint } from './apply-batch.ts';
import { startProjector } from './projector.ts';

// Free text is stored as sent, so an event may hold U+0000, which neither
// PostgreSQL nor PGlite can keep in text or jsonb. Such an event must not
// stop the projector at itself: it is applied, the character written as
// U+FFFD, and everything after it too.

const registered = (userId: string, username: string, displayName: string) => [
  {
    id: crypto.randomUUID(),
    type: 'AccountRegistered',
    data: { userId, username, displayName },
    metadata: { occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
  },
];

async function settle(store: ReadStore, position: number) {
  for (let i = 0; i < 250 && (await readCheckpoint(store).catch(() => null)) !== position; i++)
    await new Promise((r) => setTimeout(r, 20));
}

const places: TestReadStorePlace[] = [];
afterEach(async () => {
  for (const p of places.splice(0)) await p.dispose();
});

describe.each(readStoreKinds)('a NUL character in an event, on %s', (kind) => {
  it('is projected as U+FFFD, and the events after it are projected too', async () => {
    const place = await testReadStorePlace(kind);
    places.push(place);
    const events = memoryEventStore();
    await events.append('account-usr_a', registered('usr_a', 'ann', 'Ann\u0000Lee'), {
      expectedRevision: 'no_stream',
    });
    await events.append('account-usr_b', registered('usr_b', 'ben', 'Ben'), {
      expectedRevision: 'no_stream',
    });
    const store = await openReadStore(place.config);
    try {
      const projector = startProjector({ events, readStore: store });
      await settle(store, await events.headPosition());
      await projector.stop();
      expect(await readCheckpoint(store)).toBe(await events.headPosition());
      expect(await store.query('SELECT user_id, display_name FROM accounts ORDER BY user_id')).toEqual([
        { user_id: 'usr_a', display_name: 'Ann\uFFFDLee' },
        { user_id: 'usr_b', display_name: 'Ben' },
      ]);
      // A lookup by a value holding one answers nothing rather than failing.
      expect(await store.query('SELECT user_id FROM accounts WHERE user_id = $1', ['usr_a\u0000'])).toEqual(
        [],
      );
    } finally {
      await store.close();
    }
  });
});
