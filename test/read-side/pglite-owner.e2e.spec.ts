import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startNatsServer } from '../support/nats-server.ts';
import { natsUrl, uniquePrefix } from '../support/test-worker.ts';
import { type ReadSideProcess, spawnReadSide } from './support/read-side-process.ts';

// DOMAIN.md §5: with the embedded read store one process owns a data
// directory; a second one on the same directory says so and exits 2.

const started: ReadSideProcess[] = [];
let dataDir = '';
afterAll(async () => {
  for (const p of started) p.child.kill('SIGKILL');
  await Promise.all(started.map((p) => p.exited));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('a second process on one PGlite directory exits 2 and names the owner', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'camledger-owner-'));
  const env = {
    NATS_URL: natsUrl,
    CAMLEDGER_PREFIX: uniquePrefix('own'),
    CAMLEDGER_STORE: 'memory',
    CAMLEDGER_DATA_DIR: dataDir,
    CAMLEDGER_ROLES: 'queries',
  };
  const first = spawnReadSide(env);
  started.push(first);
  await first.ready;
  const second = spawnReadSide(env);
  started.push(second);
  expect(await second.exited).toEqual({ code: 2, signal: null });
  expect(second.stderr()).toContain(`in use by process ${first.child.pid}`);
  first.child.kill('SIGTERM');
  expect((await first.exited).code).toBe(0);
}, 120_000);

it('a read side asked for roles it does not run exits 2 naming them, rather than serving nothing', async () => {
  for (const roles of ['querys', 'commands', 'projector,edge']) {
    const p = spawnReadSide({
      NATS_URL: natsUrl,
      CAMLEDGER_PREFIX: uniquePrefix('roles'),
      CAMLEDGER_STORE: 'memory',
      CAMLEDGER_DATA_DIR: join(tmpdir(), 'camledger-never-opened'),
      CAMLEDGER_ROLES: roles,
    });
    started.push(p);
    expect(await p.exited, roles).toEqual({ code: 2, signal: null });
    expect(p.stderr()).toContain('CAMLEDGER_ROLES');
  }
}, 60_000);

it('a read side that cannot reach NATS says so in a fatal log line and exits 1', async () => {
  const p = spawnReadSide({
    NATS_URL: 'nats://127.0.0.1:1',
    CAMLEDGER_PREFIX: uniquePrefix('nonats'),
    CAMLEDGER_STORE: 'memory',
    CAMLEDGER_DATA_DIR: join(tmpdir(), 'camledger-never-opened'),
    CAMLEDGER_ROLES: 'queries',
  });
  started.push(p);
  expect(await p.exited).toEqual({ code: 1, signal: null });
  const fatal = p
    .stdout()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { level: number; msg: string })
    .find((line) => line.msg === 'could not start');
  expect(fatal?.level).toBe(60);
}, 60_000);

it('a read side whose NATS is gone for good exits 1 once CAMLEDGER_NATS_MAX_RECONNECTS are used up', async () => {
  const server = await startNatsServer();
  const lostDir = await mkdtemp(join(tmpdir(), 'camledger-lost-'));
  try {
    const p = spawnReadSide({
      NATS_URL: server.url,
      CAMLEDGER_PREFIX: uniquePrefix('lostread'),
      CAMLEDGER_STORE: 'memory',
      CAMLEDGER_DATA_DIR: lostDir,
      CAMLEDGER_ROLES: 'queries',
      CAMLEDGER_NATS_MAX_RECONNECTS: '2',
      CAMLEDGER_NATS_RECONNECT_WAIT_MS: '100',
    });
    started.push(p);
    await p.ready;
    await server.stop();
    const how = await Promise.race([
      p.exited,
      new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 20_000)),
    ]);
    expect(how).toEqual({ code: 1, signal: null });
  } finally {
    await server.dispose();
    await rm(lostDir, { recursive: true, force: true });
  }
}, 60_000);
