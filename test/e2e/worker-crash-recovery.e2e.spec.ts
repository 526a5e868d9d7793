import { createClient, type Outcome } from '@camledger/client';
import { deleteJetStreamNamespace } from '@camledger/event-store';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepted } from '../support/fixtures.ts';
import { natsUrl, uniquePrefix } from '../support/test-worker.ts';
import { killAllWorkerProcesses, readAccountCredits, startWorkerProcess } from '../support/worker-process.ts';

// kill -9 in the middle of a load: some commands were answered, some were
// appended but never answered, some never reached the store. A client that
// resends every unanswered command with its command_id to a fresh worker
// must end with every effect present exactly once. Top-ups of 1 credit make
// that checkable: the balance equals the number of commands, and each
// command id appears once in the account's history.

const prefix = uniquePrefix('crash');
const env = { NATS_URL: natsUrl, CAMLEDGER_PREFIX: prefix, CAMLEDGER_STORE: 'jetstream' };
let nc: NatsConnection;
beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
});
afterAll(async () => {
  await killAllWorkerProcesses();
  await deleteJetStreamNamespace(nc, prefix);
  await nc.close();
});

describe('kill -9 under load, then a fresh worker', () => {
  it('applies every command exactly once once the unanswered ones are resent with their command ids', async () => {
    const first = await startWorkerProcess(env);
    const client = createClient(nc, { prefix, timeoutMs: 2_000, retries: 0 });
    const userId = accepted(
      await client.send('account.register', { username: `crash${Date.now().toString(36)}` }),
    ).user_id as string;

    const total = 200;
    const killAfter = 60;
    const commandIds = Array.from({ length: total }, (_, i) => `credit-${i}`);
    const topUp = (commandId: string) =>
      client.send('account.add_credits', { user_id: userId, credits: 1 }, { commandId });
    const answered = new Map<string, Outcome>();
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < total; i = next++) {
        const id = commandIds[i] as string;
        try {
          answered.set(id, await topUp(id));
        } catch {
          continue; // timed out or nobody answered: resent below
        }
        if (answered.size === killAfter) first.kill('SIGKILL');
      }
    };
    await Promise.all(Array.from({ length: 20 }, lane));
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    const unanswered = commandIds.filter((id) => !answered.has(id));
    expect(unanswered.length, 'the kill came in the middle of the load').toBeGreaterThan(50);

    await startWorkerProcess(env);
    const resendClient = createClient(nc, { prefix, timeoutMs: 5_000, retries: 3 });
    const resent = await Promise.all(
      unanswered.map((id) =>
        resendClient.send('account.add_credits', { user_id: userId, credits: 1 }, { commandId: id }),
      ),
    );
    for (const r of resent) accepted(r);
    // Commands answered before the crash answer the same again.
    for (const id of [...answered.keys()].slice(0, 20))
      expect(
        await resendClient.send('account.add_credits', { user_id: userId, credits: 1 }, { commandId: id }),
      ).toEqual(answered.get(id));

    const { balance, topUps } = await readAccountCredits(nc, prefix, userId);
    expect(balance).toBe(total);
    expect([...topUps].sort()).toEqual([...commandIds].sort());
  }, 60_000);
});
