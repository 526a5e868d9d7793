import type { RecordedEvent } from '@camledger/event-store';
import { afterEach, describe, expect, it } from 'vitest';
import { applyBatch, readCheckpoint } from '../projector/apply-batch.ts';
import { installForProjector } from '../schema/install.ts';
import { openReadStore } from '../store/open.ts';
import type { ReadStore, Sql } from '../store/port.ts';
import { readStoreKinds, type TestReadStorePlace, testReadStorePlace } from '../testing/read-stores.ts';
import { answerQuery } from './answer.ts';
import { AppliedPosition } from './applied-position.ts';

// A query answers from one committed state, though it reads in several
// statements: here the projector commits a new folder between a list's page
// and its total, and the answer must not count a folder its page lacks, nor
// name a position its rows are not at.

const user = 'usr_00000000000000000000000001';
let position = 0;
const folder = (n: number): RecordedEvent => ({
  id: crypto.randomUUID(),
  stream: `foldertree-${user}`,
  revision: n,
  position: ++position,
  type: 'FolderCreated',
  data: { folderId: `fld_0${String(n).padStart(25, '0')}`, ownerId: user, name: `f${n}`, parentId: null },
  metadata: { occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 2 },
});

/** `store`, except that `between` runs once, right after the first statement that reads a page, and is waited for. */
function committingAfterThePage(store: ReadStore, between: () => Promise<void>): ReadStore {
  let done = false;
  const watched = (db: Sql): Sql => ({
    exec: (text) => db.exec(text),
    async query(text, params) {
      const rows = await db.query(text, params);
      if (!done && text.includes('LIMIT')) {
        done = true;
        await between();
      }
      return rows as never;
    },
  });
  return Object.assign(Object.create(store) as ReadStore, {
    query: watched(store).query,
    snapshot: <T>(fn: (db: Sql) => Promise<T>) => store.snapshot((db) => fn(watched(db))),
  });
}

const places: TestReadStorePlace[] = [];
const stores: ReadStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const p of places.splice(0)) await p.dispose();
});

describe.each(readStoreKinds)('one answer, one state, on %s', (kind) => {
  it('a batch committed between a page and its total is in neither', async () => {
    const place = await testReadStorePlace(kind);
    places.push(place);
    const store = await openReadStore(place.config);
    stores.push(store);
    await installForProjector(store, 'one-state');
    const registered: RecordedEvent = {
      id: crypto.randomUUID(),
      stream: `account-${user}`,
      revision: 0,
      position: ++position,
      type: 'AccountRegistered',
      data: { userId: user, username: 'ann', displayName: '' },
      metadata: { occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
    };
    await applyBatch(store, [registered, folder(0), folder(1)], await readCheckpoint(store));
    const before = position;

    // PGlite has one connection, so the batch is only started here and
    // runs when the connection is free. PostgreSQL commits it from another
    // connection, and the answer goes on only once it has: the statements
    // after the page then run after the commit (else they could run before
    // it, and the answer would hold together whatever the isolation).
    let committed: Promise<unknown> = Promise.resolve();
    const racing = committingAfterThePage(store, async () => {
      committed = applyBatch(store, [folder(2)], before);
      if (kind === 'postgres') await committed;
    });
    const reply = await answerQuery(
      { store: racing, applied: new AppliedPosition(store), trashRetentionMs: 1000 },
      'folder.get_list',
      JSON.stringify({ actor: user, payload: { parent_id: 0 } }),
    );
    await committed;

    expect(reply).toMatchObject({ ok: true, position: before, result: { total: 2 } });
    expect(reply.ok && reply.result.folders).toHaveLength(2);
    // The batch did commit: the next answer has it whole.
    const after = await answerQuery(
      { store, applied: new AppliedPosition(store), trashRetentionMs: 1000 },
      'folder.get_list',
      JSON.stringify({ actor: user, payload: { parent_id: 0 } }),
    );
    expect(after).toMatchObject({ ok: true, position: before + 1, result: { total: 3 } });
  });

  it('a min_position this server once saw reached is stale after a rebuild moved the rows back', async () => {
    const place = await testReadStorePlace(kind);
    places.push(place);
    const store = await openReadStore(place.config);
    stores.push(store);
    await installForProjector(store, 'before');
    const registered = (p: number): RecordedEvent => ({
      id: crypto.randomUUID(),
      stream: `account-${user}`,
      revision: 0,
      position: p,
      type: 'AccountRegistered',
      data: { userId: user, username: 'ann', displayName: '' },
      metadata: { occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
    });
    await applyBatch(store, [registered(40)], null);
    const deps = { store, applied: new AppliedPosition(store), trashRetentionMs: 1000 };
    const ask = () =>
      answerQuery(
        deps,
        'account.get',
        JSON.stringify({ actor: user, payload: { min_position: 40, wait_ms: 50 } }),
      );
    expect(await ask()).toMatchObject({ ok: true, position: 40 });
    expect(await ask()).not.toHaveProperty('stale');

    // Rebuilt from the start (another log here; a new projection version alike), one append in so far.
    expect(await installForProjector(store, 'after')).toMatchObject({ rebuild: true });
    await applyBatch(store, [registered(1)], null);
    expect(await ask()).toMatchObject({ ok: true, position: 1, stale: true });
  });
});
