import { randomUUID } from 'node:crypto';
import { deleteJetStreamNamespace } from '@camledger/event-store';
import { databaseUrl, dropPostgresSchema } from '@camledger/read-model/testing';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launcherEntry, launcherReady } from '../support/camledger-process.ts';
import { natsUrl, uniquePrefix } from '../support/test-worker.ts';
import { spawnWorker, type WorkerProcess } from '../support/worker-process.ts';

// Two processes of every role but the edge on one PostgreSQL read store: one
// projector applies, the other stands by for the lock. The second process
// must still serve (it used to wait for the lock before starting its other
// roles, and deferred SIGTERM for as long), and stop cleanly on a signal.

const prefix = uniquePrefix('standby');
const env = {
  NATS_URL: natsUrl,
  CAMLEDGER_PREFIX: prefix,
  CAMLEDGER_STORE: 'jetstream',
  CAMLEDGER_ROLES: 'commands,projector,queries',
  CAMLEDGER_READ_STORE: 'postgres',
  DATABASE_URL: databaseUrl,
};
const standingBy = 'another projector applies: standing by to take over';
const processes: WorkerProcess[] = [];
const start = () => {
  const p = spawnWorker({ env, entry: launcherEntry, readyMessage: launcherReady, readyTimeoutMs: 45_000 });
  processes.push(p);
  return p;
};

let nc: NatsConnection;
beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await deleteJetStreamNamespace(nc, prefix).catch(() => {});
  await nc.close();
  await dropPostgresSchema(databaseUrl, prefix);
  await dropPostgresSchema(databaseUrl, `${prefix}$shadow`);
});

describe('a second projector on one PostgreSQL read store', () => {
  it('stands by while its process serves, and its process stops at once on SIGTERM', async () => {
    const first = start();
    await first.ready;
    const second = start();
    await second.ready;
    expect(second.lines.map((l) => l.msg)).toContain(standingBy);
    expect(first.lines.map((l) => l.msg)).not.toContain(standingBy);

    // Both serve commands (a queue group: several tries reach both).
    for (let i = 0; i < 4; i++) {
      const reply = await nc.request(
        `${prefix}.internal.account.register`,
        JSON.stringify({
          command_id: randomUUID(),
          actor: 'system',
          payload: { username: `sb${i}${Date.now()}` },
        }),
        { timeout: 15_000 },
      );
      expect(reply.json()).toMatchObject({ ok: true, code: 10000 });
    }

    expect(await second.stop(10_000)).toEqual({ code: 0, signal: null });
  }, 120_000);
});
