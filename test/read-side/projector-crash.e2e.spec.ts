import { openReadStore, type ReadStore, readCheckpoint, startProjector } from '@camledger/read-model';
import { databaseUrl, dropPostgresSchema, testReadStorePlace } from '@camledger/read-model/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { natsUrl, startTestWorker, type TestWorker } from '../support/test-worker.ts';
import { type ReadSideProcess, spawnReadSide } from './support/read-side-process.ts';
import { appliedThrough, rowsOf } from './support/rows.ts';
import { varietyHistory } from './support/steps.ts';

// Crash safety on PostgreSQL: the projector process is killed with SIGKILL
// in the middle of its work (catching up, and under a live command load),
// again and again, and restarted. Since each batch commits its rows and the
// checkpoint together, the rows it ends with equal a rebuild from zero: no
// event applied twice, none skipped.

const KILLS = Number(process.env.CRASH_KILLS ?? 3);

let tw: TestWorker;
let watcher: ReadStore;
const started: ReadSideProcess[] = [];
beforeAll(async () => {
  tw = await startTestWorker({ store: 'jetstream' });
  watcher = await openReadStore({ kind: 'postgres', schema: tw.prefix, connectionString: databaseUrl });
});
afterAll(async () => {
  for (const p of started) p.child.kill('SIGKILL');
  await watcher?.close();
  await tw?.stop();
  await dropPostgresSchema(databaseUrl, tw.prefix);
});

const spawnProjector = () => {
  const p = spawnReadSide({
    NATS_URL: natsUrl,
    CAMLEDGER_PREFIX: tw.prefix,
    CAMLEDGER_STORE: 'jetstream',
    CAMLEDGER_READ_STORE: 'postgres',
    DATABASE_URL: databaseUrl,
    CAMLEDGER_ROLES: 'projector',
  });
  started.push(p);
  return p;
};

const applied = () => readCheckpoint(watcher).catch(() => null);

it('a projector killed mid-work and restarted ends with the rows of a rebuild', async () => {
  for (let i = 0; i < 4; i++) await varietyHistory(tw.client, `${tw.prefix.slice(0, 6)}${i}`);
  let load = true;
  let round = 0;
  const loading = (async () => {
    while (load) await varietyHistory(tw.client, `${tw.prefix.slice(0, 6)}l${round++}`);
  })();

  let killedMidway = 0;
  try {
    for (let kill = 0; kill < KILLS; kill++) {
      const p = spawnProjector();
      await p.ready;
      const before = (await applied()) ?? 0;
      // Kill as soon as it has applied something more: mid catch-up or mid load.
      while (((await applied()) ?? 0) <= before) await new Promise((r) => setTimeout(r, 5));
      p.child.kill('SIGKILL');
      await p.exited;
      if (((await applied()) ?? 0) < (await tw.worker.deps.store.headPosition())) killedMidway++;
    }
  } finally {
    load = false;
    await loading;
  }
  expect(killedMidway).toBeGreaterThan(0);

  const last = spawnProjector();
  await last.ready;
  const head = await tw.worker.deps.store.headPosition();
  await appliedThrough(watcher, head, 120_000);
  last.child.kill('SIGTERM');
  expect((await last.exited).code).toBe(0);

  const place = await testReadStorePlace('postgres');
  const fresh = await openReadStore(place.config);
  try {
    const rebuild = startProjector({ events: tw.worker.deps.store, readStore: fresh });
    await appliedThrough(fresh, head, 120_000);
    await rebuild.stop();
    expect(await rowsOf(watcher)).toEqual(await rowsOf(fresh));
  } finally {
    await fresh.close();
    await place.dispose();
  }
}, 300_000);
