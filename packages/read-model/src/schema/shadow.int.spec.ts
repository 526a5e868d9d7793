import { afterEach, expect, it } from 'vitest';
import { readCheckpoint } from '../projector/apply-batch.ts';
import { openReadStore } from '../store/open.ts';
import { quoteIdent, type ReadStore } from '../store/port.ts';
import { type TestReadStorePlace, testReadStorePlace } from '../testing/read-stores.ts';
import { installForProjector } from './install.ts';
import { createShadow, swapInShadow } from './shadow.ts';

// A rebuild's swap drops the live tables while queries read them. PostgreSQL
// only (PGlite runs one statement at a time, so nothing there overlaps).

const places: TestReadStorePlace[] = [];
const stores: ReadStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const p of places.splice(0)) await p.dispose();
});

/** Until some statement waits for a lock on a table of `schema`. */
async function someoneWaitsIn(store: ReadStore, schema: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [row] = await store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks l
         JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace s ON s.oid = c.relnamespace
        WHERE NOT l.granted AND s.nspname = $1`,
      [schema],
    );
    if ((row?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('nothing waited for a lock');
}

it('a query in flight during the swap finishes, and so does the swap, whatever order the catalog lists the tables in', async () => {
  const place = await testReadStorePlace('postgres');
  places.push(place);
  const store = await openReadStore(place.config);
  stores.push(store);
  await installForProjector(store, 'log-1');
  // Moving the checkpoint table out and back rewrites its catalog entry after
  // every other table's, as DDL and vacuums do by chance on a long-lived
  // server: a plain DROP SCHEMA … CASCADE then locks the others first.
  const live = quoteIdent(store.schema);
  const aside = quoteIdent(`${store.schema}_aside`);
  await store.exec(`CREATE SCHEMA ${aside}; ALTER TABLE ${live}.checkpoint SET SCHEMA ${aside};
    ALTER TABLE ${aside}.checkpoint SET SCHEMA ${live}; DROP SCHEMA ${aside}`);
  await createShadow(store, 'log-1');

  // A query reads as answerQuery does: the checkpoint, then the other tables.
  const settle = (p: Promise<unknown>) =>
    p.then(
      () => 'done',
      (e: unknown) => String(e),
    );
  let swapped: Promise<string> | undefined;
  const queried = settle(
    store.snapshot(async (db) => {
      await readCheckpoint(db);
      swapped = settle(swapInShadow(store, null));
      await someoneWaitsIn(store, store.schema);
      await db.query('SELECT 1 FROM accounts LIMIT 1');
    }),
  );
  expect([await queried, await swapped]).toEqual(['done', 'done']);
  // The shadow is live now: its checkpoint is the rebuilt one, and the query server reads it.
  expect(await readCheckpoint(store)).toBeNull();
}, 30_000);
