// Projection lag under a command load: a command worker (JetStream store) and
// the projector (PostgreSQL) in this process, clients sending folder.create
// as fast as the worker answers. For every accepted command: the time from
// its reply (the append is done by then) and from its send, to the moment
// the projector has committed its position. Goal (issue 12): p99 < 100 ms.
// Run: npx tsx bench/read-side/lag.ts [--seconds 20] [--clients 16]
import { randomBytes } from 'node:crypto';
import { createClient } from '@camledger/client';
import { readConfig, startWorker } from '@camledger/command-worker';
import { deleteJetStreamNamespace } from '@camledger/event-store';
import { openReadStore, startProjector } from '@camledger/read-model';
import { testReadStorePlace } from '@camledger/read-model/testing';
import { connect } from 'nats';
import { pino } from 'pino';
import { undoOnInterrupt } from '../support/interrupt.ts';
import { machineLine, median, percentile } from '../support/measure.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = arg('seconds', 20);
const clients = arg('clients', 16);
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const prefix = `benchlag_${randomBytes(3).toString('hex')}`;

const nc = await connect({ servers: natsUrl });
// Started before the try: each part is undone on an interrupt, and on the way out below.
const dropNamespace = undoOnInterrupt(() => deleteJetStreamNamespace(nc, prefix));
const worker = await startWorker(
  readConfig({ NATS_URL: natsUrl, CAMLEDGER_PREFIX: prefix, CAMLEDGER_STORE: 'jetstream' }),
  { log: pino({ level: 'silent' }) },
);
const stopWorker = undoOnInterrupt(() => worker.stop());
const place = await testReadStorePlace('postgres', `benchlag${randomBytes(4).toString('hex')}`);
const dispose = undoOnInterrupt(() => place.dispose());
const store = await openReadStore(place.config);
const closeStore = undoOnInterrupt(() => store.close());
const projector = startProjector({ events: worker.deps.store, readStore: store });
const stopProjector = undoOnInterrupt(() => projector.stop());
try {
  await projector.active;
  const client = createClient(nc, { prefix, timeoutMs: 10_000, retries: 0 });
  const users: string[] = [];
  for (let i = 0; i < clients; i++) {
    const r = await client.account.register({ username: `lag${i}x${randomBytes(3).toString('hex')}` });
    if (!r.ok) throw new Error(JSON.stringify(r));
    users.push(r.result.user_id as string);
  }

  const pending: { position: number; sent: number; replied: number }[] = [];
  const fromReply: number[] = [];
  const fromSend: number[] = [];
  projector.onApplied((applied) => {
    const now = performance.now();
    for (let i = pending.length - 1; i >= 0; i--) {
      const p = pending[i] as (typeof pending)[number];
      if (p.position > applied) continue;
      fromReply.push(now - p.replied);
      fromSend.push(now - p.sent);
      pending.splice(i, 1);
    }
  });

  let commands = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    users.map(async (actor, u) => {
      for (let n = 0; performance.now() < until; n++) {
        const sent = performance.now();
        const r = await client.folder.create({ name: `f${u}-${n}`, parent_id: 0 }, { actor });
        if (!r.ok || r.position === undefined) throw new Error(JSON.stringify(r));
        commands++;
        if ((projector.applied ?? 0) >= r.position) {
          // Applied before the reply arrived.
          fromReply.push(0);
          fromSend.push(performance.now() - sent);
        } else pending.push({ position: r.position, sent, replied: performance.now() });
      }
    }),
  );
  const deadline = performance.now() + 10_000;
  while (pending.length > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const stats = (ms: number[]) => ({
    p50: +median(ms).toFixed(1),
    p99: +percentile(ms, 99).toFixed(1),
    max: +Math.max(...ms).toFixed(1),
  });
  console.log(
    JSON.stringify(
      {
        machine: machineLine(),
        load: { clients, seconds, commands, commandsPerSecond: Math.round(commands / seconds) },
        lagMs: { replyToApplied: stats(fromReply), sendToApplied: stats(fromSend) },
        neverApplied: pending.length,
      },
      null,
      2,
    ),
  );
} finally {
  await stopProjector();
  await stopWorker();
  await closeStore();
  await dispose();
  await dropNamespace();
  await nc.drain();
}
