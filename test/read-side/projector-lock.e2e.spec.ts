import { openReadStore, type ReadStore, readCheckpoint, startProjector } from '@camledger/read-model';
import { databaseUrl, testReadStorePlace } from '@camledger/read-model/testing';
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
