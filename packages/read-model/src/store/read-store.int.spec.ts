import { spawnSync } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  installForProjector,
  ProjectionsNewer,
  projectionVersion,
  rebuildingFromKey,
} from '../schema/install.ts';
import { createShadow, ShadowBehind, swapInShadow } from '../schema/shadow.ts';
import { readStoreKinds, type TestReadStorePlace, testReadStorePlace } from '../testing/read-stores.ts';
import { openReadStore } from './open.ts';
import { takePidLock } from './pid-lock.ts';
import { type ReadStore, ReadStoreBusy } from './port.ts';
import { openPostgresReadStore } from './postgres.ts';

const opened: ReadStore[] = [];
const places: TestReadStorePlace[] = [];

async function place(kind: (typeof readStoreKinds)[number]) {
  const p = await testReadStorePlace(kind);
  places.push(p);
  return p;
}
async function open(p: TestReadStorePlace) {
  const store = await openReadStore(p.config);
  opened.push(store);
  return store;
}

afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const p of places.splice(0)) await p.dispose();
});

describe.each(readStoreKinds)('read store on %s', (kind) => {
  it('commits a transaction whole and rolls a failed one back whole', async () => {
    const store = await open(await place(kind));
    await installForProjector(store, 'log-a');
    await store.transaction(async (tx) => {
      await tx.query('UPDATE checkpoint SET position = $1', [41]);
    });
    await expect(
      store.transaction(async (tx) => {
        await tx.query('UPDATE checkpoint SET position = $1', [42]);
        throw new Error('crash in the middle of a batch');
      }),
    ).rejects.toThrow('crash');
    expect(await store.query('SELECT position FROM checkpoint')).toEqual([{ position: 41 }]);
  });

  it('keeps its rows for the same log and version, and starts over for another log', async () => {
    const p = await place(kind);
    const first = await open(p);
    expect(await installForProjector(first, 'log-a')).toEqual({ rebuild: true, reason: 'new' });
    await first.query('UPDATE checkpoint SET position = 7');
    expect(await installForProjector(first, 'log-a')).toEqual({ rebuild: false });
    expect(await first.query('SELECT position FROM checkpoint')).toEqual([{ position: 7 }]);
    expect(await installForProjector(first, 'log-b')).toEqual({ rebuild: true, reason: 'log' });
    expect(await first.query('SELECT position FROM checkpoint')).toEqual([{ position: null }]);
  });

  it('refuses, keeping the rows, when they were built by a newer projection version', async () => {
    const store = await open(await place(kind));
    await installForProjector(store, 'log-a');
    await store.query(`UPDATE read_model_meta SET value = '99.9' WHERE key = 'projection_version'`);
    await store.query('UPDATE checkpoint SET position = 7');
    await expect(installForProjector(store, 'log-a')).rejects.toBeInstanceOf(ProjectionsNewer);
    expect(await store.query('SELECT position FROM checkpoint')).toEqual([{ position: 7 }]);
  });

  it('does not swap in a shadow that is behind the live rows, and swaps one that is not', async () => {
    const store = await open(await place(kind));
    await installForProjector(store, 'log-a');
    await store.query('UPDATE checkpoint SET position = 3500');
    // A projector that lost its lock rebuilt to 3000 while the one that took over applied up to 3500.
    const shadow = await createShadow(store, 'log-a');
    await shadow.query('UPDATE checkpoint SET position = 3000');
    await expect(swapInShadow(store, 3000)).rejects.toBeInstanceOf(ShadowBehind);
    expect(await store.query('SELECT position FROM checkpoint')).toEqual([{ position: 3500 }]);
    await shadow.query('UPDATE checkpoint SET position = 3600');
    await swapInShadow(store, 3600);
    expect(await store.query('SELECT position FROM checkpoint')).toEqual([{ position: 3600 }]);
  });

  it('keeps the rows of an older version of the handlers on tables of the same shape, for a shadow rebuild', async () => {
    const store = await open(await place(kind));
    await installForProjector(store, 'log-a');
    const older = `0.${projectionVersion.split('.')[1]}`;
    await store.query(`UPDATE read_model_meta SET value = $1 WHERE key = 'projection_version'`, [older]);
    await store.query('UPDATE checkpoint SET position = 7');
    expect(await installForProjector(store, 'log-a')).toEqual({ rebuild: 'in-shadow', reason: 'version' });
    expect(await store.query('SELECT position FROM checkpoint')).toEqual([{ position: 7 }]);
    // Taken over: this version's from now on (an older binary refuses them),
    // marked until the rebuilt rows replace them, so a restart before the
    // swap rebuilds again instead of keeping them as they are.
    expect(await store.query('SELECT key, value FROM read_model_meta ORDER BY key')).toEqual([
      { key: 'log_id', value: 'log-a' },
      { key: 'projection_version', value: projectionVersion },
      { key: rebuildingFromKey, value: older },
    ]);
    expect(await installForProjector(store, 'log-a')).toEqual({ rebuild: 'in-shadow', reason: 'version' });
    expect(await store.query('SELECT position FROM checkpoint')).toEqual([{ position: 7 }]);
    // Another log still drops them: its rows must not be served at all.
    expect(await installForProjector(store, 'log-b')).toEqual({ rebuild: true, reason: 'log' });
    expect(await store.query('SELECT position FROM checkpoint')).toEqual([{ position: null }]);
  });

  it('starts over when the rows were built by a version with other migrations', async () => {
    const store = await open(await place(kind));
    await installForProjector(store, 'log-a');
    await store.query(`UPDATE read_model_meta SET value = '0.0' WHERE key = 'projection_version'`);
    await store.query('UPDATE checkpoint SET position = 7');
    expect(await installForProjector(store, 'log-a')).toEqual({ rebuild: true, reason: 'version' });
    expect(await store.query('SELECT position FROM checkpoint')).toEqual([{ position: null }]);
  });
});

describe('PostgreSQL connection ended by the server', () => {
  it('fails the transaction under way, without ending the process, and the store goes on', async () => {
    const store = await open(await place('postgres'));
    await installForProjector(store, 'log-a');
    const marked = `SELECT pg_sleep(30) /* ${store.schema} */`;
    const under = store.snapshot(async (tx) => {
      await tx.query(marked);
    });
    // As a restart of the server, or an operator's pg_terminate_backend, does.
    for (let i = 0; i < 200; i++) {
      const [ended] = await store.query<{ n: number }>(
        'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE query = $1',
        [marked],
      );
      if ((ended?.n ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await expect(under).rejects.toThrow(/terminat/);
    expect(await store.query('SELECT position FROM checkpoint')).toEqual([{ position: null }]);
  }, 30_000);
});

describe('PGlite directory', () => {
  it('lets exactly one of three openers racing for it in, whether a dead owner left its pid file or not', async () => {
    // Real races on the file system: each opener's reads and writes
    // interleave with the others' (before, 22 of 200 rounds let two in).
    let roundsWithoutOneOwner = 0;
    for (let round = 0; round < 200; round++) {
      const dir = await mkdtemp(join(tmpdir(), 'camledger-pid-'));
      const file = join(dir, 'owner.pid');
      if (round % 2 === 1) await writeFile(file, '4000000'); // beyond any pid_max: a dead owner
      const taken = await Promise.allSettled([1, 2, 3].map(() => takePidLock(file, dir)));
      const owners = taken.filter((t) => t.status === 'fulfilled');
      if (owners.length !== 1) roundsWithoutOneOwner++;
      for (const t of taken) if (t.status === 'rejected') expect(t.reason).toBeInstanceOf(ReadStoreBusy);
      for (const owner of owners) await owner.value.release();
      await rm(dir, { recursive: true, force: true });
    }
    expect(roundsWithoutOneOwner).toBe(0);
  });

  it('refuses a second opener while the first runs, and lets the next in after a clean close', async () => {
    const p = await place('pglite');
    const first = await openReadStore(p.config);
    await expect(openReadStore(p.config)).rejects.toBeInstanceOf(ReadStoreBusy);
    await first.close();
    const second = await open(p);
    expect(second.startedEmpty).toBe(false);
  });

  it('takes over a pid file naming this very pid, left by an earlier process (a restarted container)', async () => {
    const p = await place('pglite');
    const first = await openReadStore(p.config);
    await first.close();
    // The process before a crash had the pid this one has now.
    const directory = join((p.config as { dataDir: string }).dataDir, p.config.schema);
    await writeFile(join(directory, 'owner.pid'), String(process.pid));
    const second = await open(p);
    // Still one opener at a time within this process.
    await expect(openReadStore(p.config)).rejects.toBeInstanceOf(ReadStoreBusy);
    await second.close();
  });

  it('takes the directory over from a process that died, and rebuilds what it left unclean', async () => {
    const p = await place('pglite');
    const first = await openReadStore(p.config);
    await installForProjector(first, 'log-a');
    await first.query('UPDATE checkpoint SET position = 9');
    // A crash: the files stay as they are, no clean-close marker is written,
    // and the pid file names a process that is gone.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const directory = join((p.config as { dataDir: string }).dataDir, p.config.schema);
    await writeFile(join(directory, 'owner.pid'), String(dead));
    const second = await open(p);
    expect(second.startedEmpty).toBe(true);
    expect(await installForProjector(second, 'log-a')).toEqual({ rebuild: true, reason: 'unclean-stop' });
    expect(await second.query('SELECT position FROM checkpoint')).toEqual([{ position: null }]);
  });
});

describe('PostgreSQL that takes the connection and never answers', () => {
  it('fails the open once the connect timeout passes, instead of hanging the start', async () => {
    const silent = createServer(() => {}).listen(0, '127.0.0.1');
    await new Promise((resolve) => silent.once('listening', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      await expect(
        openPostgresReadStore({
          connectionString: `postgres://postgres@127.0.0.1:${port}/test`,
          schema: 'never',
          connectTimeoutMs: 300,
        }),
      ).rejects.toThrow(/timeout/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.close();
    }
  });
});

describe('PostgreSQL schemas of two prefixes', () => {
  it('a rebuild of prefix x leaves the rows of prefix x__shadow alone (its shadow has another name)', async () => {
    const x = await place('postgres');
    const other = await testReadStorePlace('postgres', `${x.config.schema}__shadow`);
    places.push(other);
    const [store, neighbour] = [await open(x), await open(other)];
    await installForProjector(store, 'log-a');
    await installForProjector(neighbour, 'log-b');
    await neighbour.query('UPDATE checkpoint SET position = 50');
    await createShadow(store, 'log-a');
    await swapInShadow(store, 0);
    expect(await neighbour.query('SELECT position FROM checkpoint')).toEqual([{ position: 50 }]);
  });
});

describe('PostgreSQL projector lock', () => {
  it('keeps a second projector waiting and hands over when the holder goes', async () => {
    const p = await place('postgres');
    const [a, b] = [await open(p), await open(p)];
    const held = await a.acquireProjectorLock();
    let taken = false;
    const waiting = b.acquireProjectorLock({ pollMs: 20 }).then((lock) => {
      taken = true;
      return lock;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(taken).toBe(false);
    await held.release();
    const second = await waiting;
    expect(taken).toBe(true);
    await second.release();
  });

  it('stops waiting when asked to', async () => {
    const p = await place('postgres');
    const [a, b] = [await open(p), await open(p)];
    const held = await a.acquireProjectorLock();
    const abort = new AbortController();
    const waiting = b.acquireProjectorLock({ signal: abort.signal, pollMs: 20 });
    abort.abort();
    await expect(waiting).rejects.toThrow();
    await held.release();
  });

  it('leaves no listener on the stop signal per poll, however long a standby waits', async () => {
    const p = await place('postgres');
    const [a, b] = [await open(p), await open(p)];
    const held = await a.acquireProjectorLock();
    const abort = new AbortController();
    const waiting = b.acquireProjectorLock({ signal: abort.signal, pollMs: 5 }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(getEventListeners(abort.signal, 'abort').length).toBeLessThanOrEqual(1);
    abort.abort();
    await waiting;
    await held.release();
  });
});
