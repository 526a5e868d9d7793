// The replica of the reply bucket's keys against the real NATS server: what
// each worker may skip the lookup for, and when it must still ask.
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyLog, StoredReply } from '../port.ts';
import { deleteJetStreamNamespace } from './namespace.ts';
import { type JetStreamReplyLogOptions, jetStreamReplyLog } from './reply-log.ts';

const servers = process.env.NATS_URL ?? '127.0.0.1:4222';
const connections: NatsConnection[] = [];
const logs: ReplyLog[] = [];
const prefixes: string[] = [];
const prefix = () => {
  const p = `cltest_rk_${Date.now().toString(36)}_${prefixes.length}`;
  prefixes.push(p);
  return p;
};

// Each log on its own connection, as two worker processes would be.
async function worker(
  p: string,
  replicateKeys: JetStreamReplyLogOptions['replicateKeys'] = {},
): Promise<ReplyLog & { mayHold(key: string): boolean }> {
  const nc = await connect({ servers });
  connections.push(nc);
  const log = await jetStreamReplyLog(nc, { prefix: p, replicas: 1, retentionMs: 60_000, replicateKeys });
  logs.push(log);
  if (!log.mayHold) throw new Error('a replicating log answers mayHold');
  return log as ReplyLog & { mayHold(key: string): boolean };
}

const reply: StoredReply = {
  subject: 'camledger.cmd.account.add_credits',
  payloadHash: 'h',
  reply: { ok: false },
};

async function eventually(check: () => boolean, what: string, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let admin: NatsConnection;
beforeAll(async () => {
  admin = await connect({ servers });
});
afterAll(async () => {
  for (const log of logs) await log.close();
  for (const nc of connections) await nc.drain();
  for (const p of prefixes) await deleteJetStreamNamespace(admin, p);
  await admin.drain();
});

describe('the reply keys replica (jetstream)', () => {
  it('a current replica calls an unknown key absent, so a new command needs no lookup', async () => {
    const a = await worker(prefix());
    await eventually(() => a.mayHold('never-stored') === false, 'unknown key called absent');
  });

  it("a key another worker stored reaches this worker's replica", async () => {
    const p = prefix();
    const [a, b] = [await worker(p), await worker(p)];
    await a.putIfAbsent('rejected-once', reply);
    expect(a.mayHold('rejected-once')).toBe(true);
    await eventually(() => b.mayHold('rejected-once'), 'the other worker learns the key', 1_000);
    expect(b.mayHold('still-new')).toBe(false);
  });

  it('a worker started later loads the keys stored before it', async () => {
    const p = prefix();
    const a = await worker(p);
    await a.putIfAbsent('old key é.>', reply);
    const late = await worker(p);
    await eventually(() => late.mayHold('never') === false, 'the late replica is current');
    expect(late.mayHold('old key é.>')).toBe(true);
  });

  it('a key this worker stores is known to its replica at once, before the watch brings it back', async () => {
    const a = await worker(prefix());
    await eventually(() => a.mayHold('never') === false, 'the replica is current');
    // Written behind, unanswered: nothing has even reached the server when the next command asks.
    expect(a.putBehind).toBeTypeOf('function');
    a.putBehind!('stored-behind', reply);
    expect(a.mayHold('stored-behind')).toBe(true);
  });

  it('a replica that cannot prove it is current sends every key to the log', async () => {
    // One proof at start, none after: past the staleness bound nothing is called absent.
    const a = await worker(prefix(), { syncEveryMs: 3_600_000, maxStalenessMs: 200 });
    await new Promise((r) => setTimeout(r, 400));
    expect(a.mayHold('unknown')).toBe(true);
  });

  it('a replica that dropped keys for room asks the log until they would have expired', async () => {
    const p = prefix();
    const a = await worker(p, { maxKeys: 2 });
    for (const k of ['k1', 'k2', 'k3']) await a.putIfAbsent(k, reply);
    await new Promise((r) => setTimeout(r, 300));
    expect(a.mayHold('k1')).toBe(true);
    expect(a.mayHold('unknown')).toBe(true);
  });
});
