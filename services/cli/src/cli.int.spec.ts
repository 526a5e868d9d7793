import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readConfig, startWorker, type Worker } from '@camledger/command-worker';
import { connectJetStreamStore, deleteJetStreamNamespace, type EventStore } from '@camledger/event-store';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idOf, user, type Written, write } from './test-history.ts';

// The CLI as a user runs it: a separate process, configured by environment,
// against the real NATS server. `send` goes to an in-process worker; the
// audit subcommands read a JetStream namespace this test writes directly.

const root = fileURLToPath(new URL('../../..', import.meta.url));
const prefix = `clitest_${randomBytes(4).toString('hex')}`;
const run = promisify(execFile);

// The CLI runs through node itself, not npx: npx adds start-up time and,
// under pnpm, npm's warnings on stderr.
async function camledger(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'services/cli/src/main.ts', ...args],
      {
        cwd: root,
        env: { ...process.env, CAMLEDGER_PREFIX: prefix, CAMLEDGER_STORE: 'jetstream', ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const alice = user('A');
const bob = user('B');
const itm = idOf('itm', 1);
let nc: NatsConnection;
let store: EventStore;
let worker: Worker;
let labelled: Written;
let intruder: Written;

beforeAll(async () => {
  nc = await connect({ servers: '127.0.0.1:4222' });
  store = await connectJetStreamStore(nc, { prefix, replicas: 1 });
  const frames = [{ identifier: 'f'.repeat(27), datetime: '2026-01-01T09:00:00.000Z', milliseconds: null }];
  await write(
    store,
    `item-${itm}`,
    'ItemRecorded',
    {
      itemId: itm,
      cameraId: idOf('cam', 1),
      ownerId: alice,
      startDatetime: '2026-01-01T09:00:00.000Z',
      endDatetime: '2026-01-01T09:00:10.000Z',
      isAlert: false,
      frames,
    },
    { actor: 'system', occurredAt: '2026-01-01T09:00:10.000Z' },
  );
  labelled = await write(
    store,
    `item-${itm}`,
    'ItemUpdated',
    { itemId: itm, label: 'Fox' },
    { actor: alice, occurredAt: '2026-01-02T10:00:00.000Z' },
  );
  await write(
    store,
    `item-${itm}`,
    'ItemUpdated',
    { itemId: itm, label: 'Badger' },
    { actor: alice, occurredAt: '2026-01-03T10:00:00.000Z' },
  );
  // A v1 folder event from before the top level was null: replay must upcast
  // it. Its directory claim first, as folder.create writes them.
  await write(
    store,
    `directory-${idOf('fld', 1)}`,
    'IdClaimed',
    { id: idOf('fld', 1), kind: 'folder', owner: alice, container: alice },
    { actor: alice },
  );
  await write(
    store,
    `foldertree-${alice}`,
    'FolderCreated',
    { folderId: idOf('fld', 1), ownerId: alice, name: 'Garden', parentId: 0 },
    { actor: alice },
  );
  worker = await startWorker(
    readConfig({ ...process.env, CAMLEDGER_PREFIX: prefix, CAMLEDGER_STORE: 'memory' }),
  );
});

afterAll(async () => {
  await worker?.stop();
  await store?.close();
  await deleteJetStreamNamespace(nc, prefix);
  await nc?.drain();
});

describe('camledger send', () => {
  it('prints the reply and exits 0 when accepted, 1 when rejected', async () => {
    const registered = await camledger([
      'send',
      'account.register',
      JSON.stringify({ user_id: alice, username: 'alice', display_name: 'Alice' }),
    ]);
    expect(registered.code).toBe(0);
    expect(JSON.parse(registered.stdout)).toMatchObject({
      ok: true,
      code: 10000,
      result: { user_id: alice },
    });

    const created = await camledger([
      'send',
      'folder.create',
      '{"name":"Garden","parent_id":0}',
      '--actor',
      alice,
    ]);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ ok: true, code: 10000, result: { name: 'Garden' } });

    const twice = await camledger([
      'send',
      'folder.create',
      '{"name":" garden","parent_id":0}',
      '--actor',
      alice,
    ]);
    expect(twice.code).toBe(1);
    expect(JSON.parse(twice.stdout)).toMatchObject({ ok: false, code: 4005 });
  }, 60_000);

  it('exits 2 on a payload that is not JSON or a command name of the wrong form', async () => {
    expect((await camledger(['send', 'folder.create', '{name', '--actor', alice])).code).toBe(2);
    expect((await camledger(['send', 'create', '{}', '--actor', alice])).code).toBe(2);
  });

  it('exits 2 when no NATS server answers', async () => {
    const r = await camledger(['send', 'folder.create', '{}', '--actor', alice], {
      NATS_URL: 'nats://127.0.0.1:1',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^camledger: /);
  });
});

describe('camledger audit on JetStream', () => {
  it('replay counts every event, a v1 folder event among them', async () => {
    const r = await camledger(['audit', 'replay', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      events: 5,
      streams: 3,
      byCategory: { item: 3, directory: 1, foldertree: 1 },
      byType: { ItemRecorded: 1, ItemUpdated: 2, IdClaimed: 1, FolderCreated: 1 },
      unfoldable: [],
    });
  });

  it('as-of prints the item as it was between its two label changes', async () => {
    const r = await camledger(['audit', 'as-of', `item-${itm}`, '2026-01-02T18:00:00Z']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ revision: labelled.revision, state: { label: 'Fox' } });
  });

  it('as-of reads the v1 folder event in its current shape, top level as null', async () => {
    const r = await camledger(['audit', 'as-of', `foldertree-${alice}`, '2030-01-01T00:00:00Z']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).state.folders[idOf('fld', 1)]).toMatchObject({
      name: 'Garden',
      parentId: null,
    });
  });

  it('as-of writes all of a large answer into a pipe before it exits', async () => {
    // A clip of 3,000 frames: its state is far more than a pipe's 64 KiB.
    const big = idOf('itm', 2);
    const frames = Array.from({ length: 3000 }, (_, i) => ({
      identifier: `frame-${String(i).padStart(21, '0')}`,
      datetime: '2026-01-01T09:00:00.000Z',
      milliseconds: i % 1000,
    }));
    await write(
      store,
      `item-${big}`,
      'ItemRecorded',
      {
        itemId: big,
        cameraId: idOf('cam', 1),
        ownerId: alice,
        startDatetime: '2026-01-01T09:00:00.000Z',
        endDatetime: '2026-01-01T09:05:00.000Z',
        isAlert: false,
        frames,
      },
      { actor: 'system', occurredAt: '2026-01-01T09:05:00.000Z' },
    );
    const { code, stdout } = await camledger(['audit', 'as-of', `item-${big}`, '2027-01-01T00:00:00Z']);
    expect(code).toBe(0);
    expect(stdout.length).toBeGreaterThan(3 * 65536);
    expect(JSON.parse(stdout).state.frames).toHaveLength(3000);
  });

  it('history lists who did what through which command', async () => {
    const r = await camledger(['audit', 'history', '--command-id', labelled.commandId, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      actor: alice,
      commandId: labelled.commandId,
      position: labelled.position,
      type: 'ItemUpdated',
    });
  });

  it('verify passes on clean history, then exits 1 naming an injected event by a non-owner', async () => {
    expect((await camledger(['audit', 'verify'])).code).toBe(0);
    intruder = await write(
      store,
      `item-${itm}`,
      'ItemFlagSet',
      { itemId: itm, flagged: true },
      { actor: bob },
    );
    const r = await camledger(['audit', 'verify', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).violations).toEqual([
      expect.objectContaining({
        invariant: 'actorOwnsTarget',
        position: intruder.position,
        stream: `item-${itm}`,
        commandId: intruder.commandId,
        actor: bob,
      }),
    ]);
  });

  it('exits 2 naming the variable when the configuration is bad', async () => {
    const r = await camledger(['audit', 'replay'], { CAMLEDGER_STORE: 'floppy' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CAMLEDGER_STORE/);
  });
});
