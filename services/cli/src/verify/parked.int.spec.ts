import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { listParkedFollowUps, readConfig, startWorker } from '@camledger/command-worker';
import { followUpCategories } from '@camledger/domain';
import { connectJetStreamStore, deleteJetStreamNamespace, type EventStore } from '@camledger/event-store';
import { connect, type NatsConnection } from 'nats';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { user, write } from '../test-history.ts';
import { registered } from './fixtures.ts';

// A follow-up the domain refused is parked by the workers' queue; `camledger
// audit verify` (a separate process, as an operator runs it) reports it as a
// warning with its reason and exits 0, and listing it changes nothing.

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const prefix = `parkedtest_${randomBytes(4).toString('hex')}`;
const run = promisify(execFile);
const env = { NATS_URL: '127.0.0.1:4222', CAMLEDGER_PREFIX: prefix, CAMLEDGER_STORE: 'jetstream' };

async function camledger(args: string[]) {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'services/cli/src/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

const alice = user('A');
let nc: NatsConnection;
let store: EventStore;

beforeAll(async () => {
  nc = await connect({ servers: env.NATS_URL });
  store = await connectJetStreamStore(nc, { prefix, replicas: 1 });
});
afterAll(async () => {
  await store?.close();
  if (nc) {
    await deleteJetStreamNamespace(nc, prefix);
    await nc.drain();
  }
});

describe('camledger audit verify and the parked follow-ups', () => {
  it('reports a follow-up the workers parked as a warning with its reason, read-only', async () => {
    await registered(store, alice, 'alice');
    // A second name claimed for Alice's account: its account.open is refused (already registered).
    const claim = await write(
      store,
      'username-bobby',
      'UsernameClaimed',
      { userId: alice, username: 'bobby', displayName: '' },
      { actor: 'system' },
    );
    const config = readConfig(env);
    const worker = await startWorker(config, { log: pino({ level: 'silent' }) });
    try {
      for (let i = 0; i < 100 && ((await listParkedFollowUps(config, nc)) ?? []).length === 0; i++)
        await new Promise((r) => setTimeout(r, 100));
    } finally {
      await worker.stop();
    }
    const parked = (await listParkedFollowUps(config, nc)) ?? [];
    expect(parked.map((p) => p.events.map((e) => `${e.stream}@${e.revision}`))).toEqual([
      ['username-bobby@0'],
    ]);
    const jsm = await nc.jetstreamManager();
    // Durable consumers and their settings (the store's own reads use ephemeral ones).
    const durables = async () =>
      (await jsm.consumers.list(`${prefix}_events`).next())
        .filter((c) => c.config.durable_name)
        .map((c) => c.config);
    const durablesBefore = await durables();
    expect(durablesBefore.map((c) => c.durable_name).sort()).toEqual(
      followUpCategories.map((category) => `${prefix}_follow-ups_${category}`).sort(),
    );

    const r = await camledger(['audit', 'verify', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.violations).toEqual([]);
    expect(report.warnings).toEqual([
      expect.objectContaining({
        invariant: 'followUpsApplied',
        severity: 'warning',
        stream: 'username-bobby',
        revision: 0,
        position: claim.position,
        message: expect.stringMatching(
          /^account\.open is parked: account\.open \S+ refused: 128 MissingParameter$/,
        ),
      }),
    ]);
    // The audit made or changed no consumer.
    expect(await durables()).toEqual(durablesBefore);
    expect((await listParkedFollowUps(config, nc))?.length).toBe(1);
  }, 60_000);
});
