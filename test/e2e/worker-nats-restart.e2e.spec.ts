import { createClient, type Outcome } from '@camledger/client';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepted } from '../support/fixtures.ts';
import { type PrivateNatsServer, startNatsServer } from '../support/nats-server.ts';
import { uniquePrefix } from '../support/test-worker.ts';
import {
  killAllWorkerProcesses,
  readAccountCredits,
  startWorkerProcess,
  type WorkerProcess,
} from '../support/worker-process.ts';

// The NATS server goes away under load and comes back on the same port and
// store. Requests during the outage may time out or fail; once the server is
// back the worker must serve again without being restarted, and a client that
// resends what was not accepted ends with every effect exactly once.
//
// It caught an unhandled rejection once (83154bf): readStream prefetched the
// gets of a chunk and awaited them only at the end, so a get that failed
// across the reconnect ended the worker process.

const prefix = uniquePrefix('natsrst');
let server: PrivateNatsServer;
let worker: WorkerProcess;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  worker = await startWorkerProcess({
    NATS_URL: server.url,
    CAMLEDGER_PREFIX: prefix,
    CAMLEDGER_STORE: 'jetstream',
  });
  nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
});
afterAll(async () => {
  await killAllWorkerProcesses();
  await nc?.close();
  await server?.dispose();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a NATS server restarted under load', () => {
  it('the worker reconnects and serves again; resent commands land exactly once', async () => {
    const client = createClient(nc, { prefix, timeoutMs: 1_500, retries: 0 });
    const userId = accepted(
      await client.send('account.register', { username: `nr${Date.now().toString(36)}` }),
    ).user_id as string;
    const topUp = (commandId: string) =>
      client.send('account.add_credits', { user_id: userId, credits: 1 }, { commandId });

    const sent: string[] = [];
    const outcomes = new Map<string, Outcome>();
    let restartedAt = Number.POSITIVE_INFINITY;
    let acceptedSinceRestart = 0;
    const deadline = Date.now() + 30_000;
    const lane = async () => {
      while (acceptedSinceRestart < 30 && Date.now() < deadline) {
        const id = `nr-${sent.length}`;
        sent.push(id);
        const startedAt = Date.now();
        try {
          const outcome = await topUp(id);
          outcomes.set(id, outcome);
          if (outcome.ok && startedAt > restartedAt) acceptedSinceRestart++;
        } catch {
          await sleep(50); // the outage: timeouts and no responders
        }
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, lane));

    await sleep(700);
    const beforeOutage = [...outcomes.values()].filter((o) => o.ok).length;
    await server.stop();
    await sleep(1_000);
    await server.start();
    restartedAt = Date.now();
    await load;

    expect(beforeOutage, 'the load was running before the outage').toBeGreaterThan(0);
    expect(acceptedSinceRestart, 'commands sent after the restart are accepted').toBeGreaterThanOrEqual(30);
    expect(worker.lines.some((l) => l.msg === 'reconnected to NATS')).toBe(true);
    expect(worker.child.exitCode).toBeNull();

    // Resend everything not accepted (timeouts, and 1500s of appends cut off by the outage).
    const toResend = sent.filter((id) => !outcomes.get(id)?.ok);
    const resendClient = createClient(nc, { prefix, timeoutMs: 5_000, retries: 2 });
    const resent = await Promise.allSettled(
      toResend.map((id) =>
        resendClient.send('account.add_credits', { user_id: userId, credits: 1 }, { commandId: id }),
      ),
    );
    // A worker that died after the outage (an unhandled rejection, say) shows here with its last words.
    expect(worker.child.exitCode, `the worker exited; stderr:\n${worker.stderr().slice(-1500)}`).toBeNull();
    for (const r of resent) {
      expect(r.status, String((r as PromiseRejectedResult).reason)).toBe('fulfilled');
      if (r.status === 'fulfilled') accepted(r.value);
    }

    const { balance, topUps } = await readAccountCredits(nc, prefix, userId);
    expect(balance).toBe(sent.length);
    expect([...topUps].sort()).toEqual([...sent].sort());
  }, 60_000);
});
