import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from '@camledger/client';
import { readConfig, startWorker } from '@camledger/command-worker';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../support/fixtures.ts';
import { natsUrl, quietLog, uniquePrefix } from '../support/test-worker.ts';

// The drain SIGTERM asks for (worker-process-lifecycle.e2e.spec.ts) seen from
// inside: a command held in the middle of its append when stop() is asked
// must still be answered, and stop() must wait for it. On the memory store a
// burst is answered long before the signal lands, so the process test alone
// passed with the drain's wait for commands in flight removed.

let nc: NatsConnection;
beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
});
afterAll(() => nc.close());

describe('stop() while commands are in flight', () => {
  it('waits for every command already taken, and each is answered', async () => {
    const prefix = uniquePrefix('drain');
    let hold = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached!: () => void;
    const held = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const worker = await startWorker(
      readConfig({ NATS_URL: natsUrl, CAMLEDGER_PREFIX: prefix, CAMLEDGER_STORE: 'memory' }),
      {
        log: quietLog,
        faults: {
          beforeAppend: async () => {
            if (!hold) return;
            reached();
            await gate;
          },
        },
      },
    );
    const client = createClient(nc, { prefix, timeoutMs: 5_000, retries: 0 });
    const user = await registerUser(client);

    hold = true;
    const burst = 5;
    const replies = Array.from({ length: burst }, () =>
      client.send('account.add_credits', { user_id: user, credits: 1 }),
    );
    await held; // the first is inside its append, the others queued behind it
    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await sleep(500);
    expect(stopped, 'stop() returned while a command was still in flight').toBe(false);

    release();
    const outcomes = await Promise.allSettled(replies);
    await stopping;
    const failed = outcomes.filter((o) => o.status === 'rejected');
    expect(failed, String((failed[0] as PromiseRejectedResult | undefined)?.reason)).toHaveLength(0);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : o.reason))).toEqual(
      Array.from({ length: burst }, () => expect.objectContaining({ ok: true, code: 10000 })),
    );
  });
});
