import { afterEach, expect, it } from 'vitest';
import { installForProjector } from '../schema/install.ts';
import { openReadStore } from '../store/open.ts';
import type { ReadStore } from '../store/port.ts';
import { type TestReadStorePlace, testReadStorePlace } from '../testing/read-stores.ts';
import { answerQuery, ReadStoreTimeout } from './answer.ts';
import { AppliedPosition } from './applied-position.ts';

// A read store that stops answering without closing (a frozen server, a
// lock nobody releases) must not hold a query past its caller's patience:
// the answer fails at its deadline, and the query server answers 1500.
// PostgreSQL only: a lock held by one connection blocks another's read.

const places: TestReadStorePlace[] = [];
const stores: ReadStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const p of places.splice(0)) await p.dispose();
});

it('fails at its deadline while a read is blocked, and answers again once it is not', async () => {
  const place = await testReadStorePlace('postgres');
  places.push(place);
  const store = await openReadStore(place.config);
  stores.push(store);
  await installForProjector(store, 'log-1');
  const deps = { store, applied: new AppliedPosition(store), trashRetentionMs: 1000, readDeadlineMs: 300 };
  const ask = () => answerQuery(deps, 'account.get', JSON.stringify({ actor: 'usr_nobody' }));

  await store.transaction(async (tx) => {
    await tx.exec('LOCK TABLE checkpoint IN ACCESS EXCLUSIVE MODE');
    const started = Date.now();
    await expect(ask()).rejects.toThrow(ReadStoreTimeout);
    expect(Date.now() - started).toBeLessThan(3000);
  });
  // The lock released, the next answer comes from the rows (no such user: 8).
  expect(await ask()).toMatchObject({ ok: false, code: 8 });
}, 30_000);
