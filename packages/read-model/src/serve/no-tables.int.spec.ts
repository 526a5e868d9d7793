import { afterEach, describe, expect, it } from 'vitest';
import { openReadStore } from '../store/open.ts';
import type { ReadStore } from '../store/port.ts';
import { readStoreKinds, type TestReadStorePlace, testReadStorePlace } from '../testing/read-stores.ts';
import { answerQuery } from './answer.ts';
import { AppliedPosition } from './applied-position.ts';

// A query server may start before any projector has installed the tables
// (docs/decisions.md): it answers position 0's truth, not a fault of its own.

const places: TestReadStorePlace[] = [];
const stores: ReadStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const p of places.splice(0)) await p.dispose();
});

describe.each(readStoreKinds)('a read store with no tables yet, on %s', (kind) => {
  it('is 1500 with the correlation id, stale when the query waited for a write', async () => {
    const place = await testReadStorePlace(kind);
    places.push(place);
    const store = await openReadStore(place.config);
    stores.push(store);
    const deps = { store, applied: new AppliedPosition(store), trashRetentionMs: 1000 };
    const ask = (payload: object) =>
      answerQuery(deps, 'account.get', JSON.stringify({ actor: 'usr_x', correlation_id: 'c-7', payload }));
    expect(await ask({})).toEqual({
      ok: false,
      code: 1500,
      error: 'ServerError',
      message: expect.any(String),
      details: { correlation_id: 'c-7' },
    });
    expect(await ask({ min_position: 3, wait_ms: 50 })).toMatchObject({ code: 1500, stale: true });
    // The store still serves: the transaction the missing table ended is not left open.
    expect(await store.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
