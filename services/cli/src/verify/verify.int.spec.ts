import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connectJetStreamStore, deleteJetStreamNamespace, type EventStore } from '@camledger/event-store';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idOf, user, write } from '../test-history.ts';
import { folderCreated, folderWritten, registered } from './fixtures.ts';

// `camledger audit verify` as an operator runs it, a separate process against
// a JetStream namespace of its own on the real NATS server: a clean history
// passes, then the promises across aggregates are broken by events written
// straight into the store, and the report names each one.

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const prefix = `verifytest_${randomBytes(4).toString('hex')}`;
const run = promisify(execFile);

async function camledger(args: string[]) {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'services/cli/src/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, CAMLEDGER_PREFIX: prefix, CAMLEDGER_STORE: 'jetstream' },
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

const alice = user('A');
const bob = user('B');
const fld = idOf('fld', 1);
let nc: NatsConnection;
let store: EventStore;

beforeAll(async () => {
  nc = await connect({ servers: '127.0.0.1:4222' });
  store = await connectJetStreamStore(nc, { prefix, replicas: 1 });
  await registered(store, alice, 'alice');
  await write(store, `account-${alice}`, 'CreditsAdded', { credits: 1 }, { actor: 'system' });
  await folderCreated(store, alice, fld, 'Garden');
});

afterAll(async () => {
  await store?.close();
  if (nc) {
    await deleteJetStreamNamespace(nc, prefix);
    await nc.drain();
  }
});

describe('camledger audit verify on JetStream', () => {
  it('exits 0 on a clean history, then exits 1 naming each broken promise across aggregates', async () => {
    const clean = await camledger(['audit', 'verify']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^5 events checked against \d+ invariants: 0 violation\(s\)\n$/);

    const spend = (n: number) =>
      write(
        store,
        `account-${alice}`,
        'LiveViewStarted',
        { sessionId: idOf('lvs', n), cameraId: idOf('cam', 1), credits: 1 },
        { actor: alice },
      );
    await spend(1);
    const overdraft = await spend(2);
    const secondAccount = await write(
      store,
      `account-${bob}`,
      'AccountRegistered',
      { userId: bob, username: 'ALICE', displayName: '' },
      { actor: 'system' },
    );
    const foreignFolder = await folderWritten(store, bob, fld, 'Garden');

    const r = await camledger(['audit', 'verify', '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    const named = (invariant: string, at: typeof overdraft) =>
      expect.objectContaining({
        invariant,
        severity: 'violation',
        position: at.position,
        stream: at.stream,
        revision: at.revision,
        commandId: at.commandId,
      });
    expect(report.violations).toEqual(
      expect.arrayContaining([
        named('creditsNeverNegative', overdraft),
        named('oneAccountPerUsername', secondAccount),
        named('oneOwnerPerId', foreignFolder),
      ]),
    );
    expect(report.violations).toHaveLength(3);

    const text = await camledger(['audit', 'verify']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      `creditsNeverNegative: ${overdraft.position} account-${alice}@${overdraft.revision} LiveViewStarted command ${overdraft.commandId} actor ${alice}: account ${alice} has -1 credits`,
    );
  }, 60_000);
});
