import { openReadStore, type ReadStore, readCheckpoint, startProjector } from '@camledger/read-model';
import {
  databaseUrl,
  lockKey,
  type TestReadStorePlace,
  testReadStorePlace,
} from '@camledger/read-model/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerNamedUser } from '../support/fixtures.ts';
import { type ReadSide, startReadSide } from './support/read-side.ts';
import { appliedThrough, rowsOf } from './support/rows.ts';
import { varietyHistory } from './support/steps.ts';

// One projector applies at a time on a PostgreSQL read store: a second one
// waits on the advisory lock, takes over when the first goes, and carries on
// from the first one's checkpoint: every event applied once (its rows equal
// a rebuild from zero).

describe('two projectors on one PostgreSQL schema', () => {
  let side: ReadSide;
  let standbyStore: ReadStore;
  beforeAll(async () => {
    side = await startReadSide('postgres');
    standbyStore = await openReadStore({
      kind: 'postgres',
      schema: side.store.schema,
      connectionString: databaseUrl,
    });
  });
  afterAll(async () => {
    await standbyStore?.close();
    await side?.stop();
  });

  it('the standby waits while the first applies, then takes over where it stopped', async () => {
    const standby = startProjector({
      events: side.events,
      readStore: standbyStore,
      lockPollMs: 50,
      retryMs: 50,
    });
    let standbyActive = false;
    void standby.active.then(() => {
      standbyActive = true;
    });
    await varietyHistory(side.tw.client, `${side.tw.prefix.slice(0, 6)}a`);
    await appliedThrough(side.store, await side.head());
    expect(standbyActive).toBe(false);
    expect(standby.applied).toBeNull();

    await side.projector.stop();
    await standby.active;
    const late = await registerNamedUser(side.tw.client);
    await varietyHistory(side.tw.client, `${side.tw.prefix.slice(0, 6)}b`);
    const head = await side.head();
    await appliedThrough(standbyStore, head);
    expect(standby.applied).toBe(head);
    // The query server reads what the standby writes.
    expect(await side.ask('account.get', late.id)).toMatchObject({
      ok: true,
      result: { username: late.name },
    });
    await standby.stop();

    const place = await testReadStorePlace('postgres');
    const fresh = await openReadStore(place.config);
    try {
      const rebuild = startProjector({ events: side.events, readStore: fresh });
      await appliedThrough(fresh, head);
      await rebuild.stop();
      expect(await readCheckpoint(fresh)).toBe(head);
      expect(await rowsOf(standbyStore)).toEqual(await rowsOf(fresh));
    } finally {
      await fresh.close();
      await place.dispose();
    }
  });
});

// The lock lives on a connection of its own. When that connection dies (a
// database restart, a network cut, an operator's pg_terminate_backend), the
// projector holding it must stop applying at once: another one may take the
// lock the next moment. Only the checkpoint guard would otherwise stand
// between two appliers, each failing the other's batches in turn.
describe('a projector whose lock connection dies', () => {
  let side: ReadSide;
  let place: TestReadStorePlace;
  const stores: ReadStore[] = [];
  beforeAll(async () => {
    side = await startReadSide('postgres');
    place = await testReadStorePlace('postgres');
    for (let i = 0; i < 2; i++) stores.push(await openReadStore(place.config));
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await place?.dispose();
    await side?.stop();
  });

  it('stops applying and stands by, while the other takes over; nothing else fails', async () => {
    const failures: { who: string; message: string }[] = [];
    const logOf = (who: string) => ({
      info() {},
      warn() {},
      error(obj: object) {
        failures.push({ who, message: String((obj as { err?: unknown }).err) });
      },
    });
    const [firstStore, secondStore] = stores as [ReadStore, ReadStore];
    const first = startProjector({
      events: side.events,
      readStore: firstStore,
      lockPollMs: 50,
      retryMs: 50,
      log: logOf('first'),
    });
    await first.active;
    const second = startProjector({
      events: side.events,
      readStore: secondStore,
      lockPollMs: 50,
      retryMs: 50,
      log: logOf('second'),
    });
    try {
      await second.standby;
      await varietyHistory(side.tw.client, `${side.tw.prefix.slice(0, 6)}c`);
      await appliedThrough(firstStore, await side.head());
      const appliedWhenCut = first.applied;

      const terminated = await firstStore.query<{ done: boolean }>(
        `SELECT pg_terminate_backend(pid) AS done FROM pg_locks
          WHERE locktype = 'advisory' AND granted AND objsubid = 1
            AND objid::bigint = (hashtext($1)::bigint & 4294967295)`,
        [lockKey(firstStore.schema, 'projector')],
      );
      expect(terminated).toEqual([{ done: true }]);
      await second.active;

      await varietyHistory(side.tw.client, `${side.tw.prefix.slice(0, 6)}d`);
      const head = await side.head();
      await appliedThrough(secondStore, head);
      expect(second.applied).toBe(head);
      // The first one applied nothing after its lock went, and is waiting for it again.
      expect(first.applied).toBe(appliedWhenCut);
      expect(failures).toEqual([{ who: 'first', message: expect.stringContaining('lock was lost') }]);
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});
