import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createClient } from '@camledger/client';
import { followUpCategories } from '@camledger/domain';
import { connectJetStreamStore, deleteJetStreamNamespace } from '@camledger/event-store';
import { connect, type NatsConnection } from 'nats';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepted } from '../support/fixtures.ts';
import { jetStreamWorkerOn, natsUrl, uniquePrefix } from '../support/test-worker.ts';

// The durable follow-up queue on the real NATS server: one durable consumer
// per prefix that every worker takes its share of. Follow-ups run inline
// before the reply; the queue runs them again and is what finishes them
// when the inline run could not (a worker killed, a store refusing writes).

let nc: NatsConnection;
beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
});
afterAll(async () => {
  await nc.close();
});

const workerOn = jetStreamWorkerOn;
const clientOn = (prefix: string) => createClient(nc, { prefix, timeoutMs: 10_000, retries: 0 });

/** Sends a command as `user` until it is no longer 8 (the account not open yet). */
async function untilOpen(prefix: string, user: string) {
  // A worker just started may not be reachable for a moment yet (no responders).
  const act = () =>
    clientOn(prefix)
      .folder.create({ name: 'Garden', parent_id: 0 }, { actor: user })
      .catch(() => ({ ok: false as const, code: 8 }));
  let outcome = await act();
  for (let tries = 0; !outcome.ok && outcome.code === 8 && tries < 100; tries++) {
    await new Promise((r) => setTimeout(r, 100));
    outcome = await act();
  }
  return outcome;
}

describe('a follow-up lost in a crash', () => {
  const prefix = uniquePrefix('heal');
  afterAll(() => deleteJetStreamNamespace(nc, prefix));

  it('is run by the next worker from the queue: the account opens without any retry', async () => {
    const earlier = await workerOn(prefix);
    accepted(await clientOn(prefix).account.register({ username: 'early' }));
    await earlier.stop();
    // A worker appended this claim and died before its follow-up.
    const userId = 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4';
    const store = await connectJetStreamStore(nc, { prefix, replicas: 1 });
    await store.append(
      'username-orphan',
      [
        {
          id: randomUUID(),
          type: 'UsernameClaimed',
          data: { userId, username: 'orphan', displayName: '' },
          metadata: {
            commandId: 'lost-1',
            correlationId: 'lost-1',
            actor: 'system',
            occurredAt: new Date().toISOString(),
            schemaVersion: 1,
          },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await store.close();

    const next = await workerOn(prefix);
    try {
      expect(await untilOpen(prefix, userId)).toMatchObject({ ok: true, code: 10000 });
    } finally {
      await next.stop();
    }
  });
});

describe('a follow-up whose store write fails', () => {
  const prefix = uniquePrefix('retry');
  afterAll(() => deleteJetStreamNamespace(nc, prefix));

  it('is retried with backoff and applied by the queue after the worker restarts', async () => {
    let refused = 0;
    const failing = await workerOn(prefix, {
      // This worker's store refuses every account write: account.open cannot land.
      faults: {
        beforeAppend: (stream) => {
          if (!stream.startsWith('account-')) return;
          refused++;
          throw new Error('store unavailable');
        },
      },
      followUps: { backoff: () => 200 },
    });
    const outcome = await clientOn(prefix).account.register({ username: 'patient' });
    // The inline follow-up failed: the client is told 1500 (try again), the claim is in the log.
    expect(outcome).toMatchObject({ ok: false, code: 1500 });
    for (let i = 0; i < 50 && refused < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(refused).toBeGreaterThanOrEqual(2); // inline, then the queue's first attempt
    await failing.stop();

    const store = await connectJetStreamStore(nc, { prefix, replicas: 1 });
    const [claim] = await store.readStream('username-patient');
    await store.close();
    const userId = String((claim?.data as { userId?: string } | undefined)?.userId);

    // Restarted (without the fault), the worker takes the item up again; the client never retried.
    const restarted = await workerOn(prefix);
    try {
      expect(await untilOpen(prefix, userId)).toMatchObject({ ok: true, code: 10000 });
    } finally {
      await restarted.stop();
    }
  });
});

describe('two workers on one prefix', () => {
  const prefix = uniquePrefix('share');
  afterAll(() => deleteJetStreamNamespace(nc, prefix));

  it('share one durable queue: every item is delivered once and acked, none redelivered or pending', async () => {
    const workers = await Promise.all([workerOn(prefix), workerOn(prefix)]);
    try {
      const client = clientOn(prefix);
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) =>
          accepted(await client.account.register({ username: `user${i}` })),
        ),
      );
      const jsm = await nc.jetstreamManager();
      const claims = `${prefix}_follow-ups_username`;
      let info = await jsm.consumers.info(`${prefix}_events`, claims);
      for (let i = 0; i < 100 && (info.num_pending > 0 || info.num_ack_pending > 0); i++) {
        await new Promise((r) => setTimeout(r, 100));
        info = await jsm.consumers.info(`${prefix}_events`, claims);
      }
      expect(info).toMatchObject({ num_pending: 0, num_ack_pending: 0, num_redelivered: 0 });
      // The 20 claims went through the queue; the 20 account openings (no reactor answers them) never reached it.
      expect(info.delivered.consumer_seq).toBe(20);
      const listed = await jsm.consumers.list(`${prefix}_events`).next();
      expect(Object.fromEntries(listed.map((c) => [c.name, c.delivered.consumer_seq]))).toEqual(
        Object.fromEntries(
          followUpCategories.map((category) => [
            `${prefix}_follow-ups_${category}`,
            category === 'username' ? 20 : 0,
          ]),
        ),
      );
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});

describe('a message on the events subjects that is not an append', () => {
  const prefix = uniquePrefix('poison');
  afterAll(() => deleteJetStreamNamespace(nc, prefix));

  it('is parked with a line at error, and the follow-ups behind it still run', async () => {
    const lines: { level: number; msg: string; reason?: string }[] = [];
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, done) {
          for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
          done();
        },
      }),
    );
    const worker = await workerOn(prefix, { log });
    try {
      await nc
        .jetstream()
        .publish(`${prefix}.events.username.junk`, new TextEncoder().encode('{"not":"an append"}'));
      const user = accepted(
        await clientOn(prefix).account.register({ username: `after${Date.now().toString(36)}` }),
      ).user_id as string;
      expect((await untilOpen(prefix, user)).ok).toBe(true);
      for (let i = 0; i < 50 && !lines.some((l) => l.msg === 'follow-up parked by the queue'); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(lines.filter((l) => l.msg === 'follow-up parked by the queue')).toEqual([
        expect.objectContaining({
          level: pino.levels.values.error,
          reason: expect.stringMatching(/^not readable/),
        }),
      ]);
    } finally {
      await worker.stop();
    }
  });
});
