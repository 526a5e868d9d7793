import {
  openReadStore,
  projectionVersion,
  type ReadStore,
  readCheckpoint,
  readMeta,
  rebuildingFromKey,
  startProjector,
} from '@camledger/read-model';
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
// event applied twice, none skipped. The same for the rebuild a start runs
// over an older version's rows, killed before its swap.

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

/** The rows as a projector from position zero builds them, into a schema of their own. */
async function rowsOfAFreshBuild(head: number) {
  const place = await testReadStorePlace('postgres');
  const fresh = await openReadStore(place.config);
  try {
    const rebuild = startProjector({ events: tw.worker.deps.store, readStore: fresh });
    await appliedThrough(fresh, head, 120_000);
    await rebuild.stop();
    return await rowsOf(fresh);
  } finally {
    await fresh.close();
    await place.dispose();
  }
}

/** Runs `body` while commands of every kind keep arriving (histories tagged `tag`), then stops them. */
async function underLoad<T>(tag: string, body: () => Promise<T>): Promise<T> {
  let load = true;
  let round = 0;
  const loading = (async () => {
    while (load) await varietyHistory(tw.client, `${tw.prefix.slice(0, 6)}${tag}${round++}`);
  })();
  try {
    return await body();
  } finally {
    load = false;
    await loading;
  }
}

it('a projector killed mid-work and restarted ends with the rows of a rebuild', async () => {
  for (let i = 0; i < 4; i++) await varietyHistory(tw.client, `${tw.prefix.slice(0, 6)}${i}`);
  let killedMidway = 0;
  await underLoad('l', async () => {
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
  });
  expect(killedMidway).toBeGreaterThan(0);

  const last = spawnProjector();
  await last.ready;
  const head = await tw.worker.deps.store.headPosition();
  await appliedThrough(watcher, head, 120_000);
  last.child.kill('SIGTERM');
  expect((await last.exited).code).toBe(0);

  expect(await rowsOf(watcher)).toEqual(await rowsOfAFreshBuild(head));
}, 300_000);

it("a start's rebuild over an older version's rows, killed before its swap and restarted, ends with the rows of a rebuild", async () => {
  const meta = async () => Object.fromEntries(await readMeta(watcher));
  let killedBeforeSwap = 0;
  await underLoad('o', async () => {
    // The last kill must come before the swap: it is what the restart below finds.
    for (let kill = 0; kill < KILLS || !(rebuildingFromKey in (await meta())); kill++) {
      if (kill >= 20) throw new Error('no kill came before the swap in 20 tries');
      // The rows as an older binary leaves them, then a start of this version over them.
      await watcher.query(`UPDATE read_model_meta SET value = $1 WHERE key = 'projection_version'`, [
        `0.${projectionVersion.split('.')[1]}`,
      ]);
      // A row the older handlers wrote otherwise: only a rebuild swapped in puts it right.
      await watcher.query(
        `UPDATE accounts SET display_name = 'older version' WHERE user_id = (SELECT min(user_id) FROM accounts)`,
      );
      const p = spawnProjector();
      await p.ready;
      // Killed once this start has taken the rows over (raised their version, marked them).
      const takenOver = (m: Record<string, string>) =>
        m.projection_version === projectionVersion && rebuildingFromKey in m;
      while (!takenOver(await meta())) await new Promise((r) => setTimeout(r, 5));
      p.child.kill('SIGKILL');
      await p.exited;
      if (rebuildingFromKey in (await meta())) killedBeforeSwap++;
    }
  });
  expect(killedBeforeSwap).toBeGreaterThan(0);

  // The marker left by the killed start makes the next one rebuild again.
  const last = spawnProjector();
  await last.ready;
  const head = await tw.worker.deps.store.headPosition();
  await appliedThrough(watcher, head, 120_000);
  for (let i = 0; i < 600 && rebuildingFromKey in (await meta()); i++)
    await new Promise((r) => setTimeout(r, 50));
  last.child.kill('SIGTERM');
  expect((await last.exited).code).toBe(0);
  expect(await meta()).toMatchObject({ projection_version: projectionVersion });
  expect(await meta()).not.toHaveProperty(rebuildingFromKey);
  expect(await rowsOf(watcher)).toEqual(await rowsOfAFreshBuild(head));
}, 300_000);
