// Projection catch-up: the projector reads N events from JetStream
// (subscribeAll from 0) into PostgreSQL and into PGlite, beside a plain
// nats.js read of the same stream in the same run. Goal (issue 12): on
// PostgreSQL >= 0.5 of the plain read's rate.
// Run: npx tsx bench/read-side/catch-up.ts [--events 1000000] [--pglite-events N]
import { randomBytes } from 'node:crypto';
import { connectJetStreamStore, deleteJetStreamNamespace } from '@camledger/event-store';
import { openReadStore, startProjector } from '@camledger/read-model';
import { type ReadStoreKind, testReadStorePlace } from '@camledger/read-model/testing';
import { connect, DeliverPolicy, type NatsConnection } from 'nats';
import { undoOnInterrupt } from '../support/interrupt.ts';
import { machineLine } from '../support/measure.ts';
import { seedItemHistory } from './seed.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const total = arg('events', 20_000);
// PGlite applies 25 events per transaction on the one event loop: a smaller log keeps the run short.
const pgliteEvents = Math.min(total, arg('pglite-events', 5_000));
const prefix = `benchcatch_${randomBytes(3).toString('hex')}`;

async function plainRead(nc: NatsConnection, upTo: number): Promise<number> {
  const name = `${prefix}_events`;
  const started = performance.now();
  const consumer = await nc.jetstream().consumers.get(name, {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: 1,
  });
  const iter = await consumer.consume({ max_messages: 256 });
  let events = 0;
  for await (const m of iter) {
    events += (m.json() as { events: unknown[] }).events.length;
    if (m.seq >= upTo) break;
  }
  iter.stop();
  return events / ((performance.now() - started) / 1000);
}

/** A projector from position 0 until it has applied `head`; events/s over the first `events`. */
async function catchUp(
  kind: ReadStoreKind,
  events: Parameters<typeof startProjector>[0]['events'],
  head: number,
) {
  const place = await testReadStorePlace(kind, `bench${randomBytes(4).toString('hex')}`);
  const dispose = undoOnInterrupt(() => place.dispose());
  const store = await openReadStore(place.config);
  try {
    const started = performance.now();
    const projector = startProjector({ events, readStore: store });
    // Listening from the start: a small log can be applied before `active`
    // resolves, and a listener added after the last batch would wait for ever.
    const reachedHead = new Promise<void>((resolve) => {
      projector.onApplied((p) => p >= head && resolve());
    });
    await projector.active;
    const installed = performance.now();
    await reachedHead;
    const done = performance.now();
    await projector.stop();
    return { installSeconds: (installed - started) / 1000, applySeconds: (done - installed) / 1000 };
  } finally {
    await store.close();
    await dispose();
  }
}

const nc = await connect({ servers: process.env.NATS_URL ?? '127.0.0.1:4222' });
const events = await connectJetStreamStore(nc, { prefix, replicas: 1 });
const undo = undoOnInterrupt(() => deleteJetStreamNamespace(nc, prefix));
try {
  const written = await seedItemHistory(events, total);
  const head = await events.headPosition();
  const readRate1 = await plainRead(nc, head);
  const pg = await catchUp('postgres', events, head);
  const readRate2 = await plainRead(nc, head);
  const readRate = Math.max(readRate1, readRate2);
  const pgRate = written / pg.applySeconds;

  // PGlite over the first pgliteEvents only: a second namespace would double the seeding.
  const small = `${prefix}s`;
  const smallEvents = await connectJetStreamStore(nc, { prefix: small, replicas: 1 });
  const undoSmall = undoOnInterrupt(() => deleteJetStreamNamespace(nc, small));
  let pglite: { rate: number; events: number; installSeconds: number } | undefined;
  try {
    const n = await seedItemHistory(smallEvents, pgliteEvents);
    const r = await catchUp('pglite', smallEvents, await smallEvents.headPosition());
    pglite = { rate: n / r.applySeconds, events: n, installSeconds: r.installSeconds };
  } finally {
    await smallEvents.close();
    await undoSmall();
  }
  console.log(
    JSON.stringify(
      {
        machine: machineLine(),
        events: written,
        plainNatsRead: {
          eventsPerSecond: Math.round(readRate),
          runs: [Math.round(readRate1), Math.round(readRate2)],
        },
        postgres: {
          eventsPerSecond: Math.round(pgRate),
          applySeconds: +pg.applySeconds.toFixed(2),
          installSeconds: +pg.installSeconds.toFixed(2),
          toPlainRead: +(pgRate / readRate).toFixed(2),
        },
        pglite: pglite && {
          events: pglite.events,
          eventsPerSecond: Math.round(pglite.rate),
          installSeconds: +pglite.installSeconds.toFixed(2),
          toPlainRead: +(pglite.rate / readRate).toFixed(2),
        },
      },
      null,
      2,
    ),
  );
} finally {
  await events.close();
  await undo();
  await nc.drain();
}
