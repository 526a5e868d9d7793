// `camledger audit replay` over a large JetStream history, beside the raw
// speed of reading the same JetStream stream with nats.js and no folding.
// Run: npx tsx bench/replay/run.ts   (BENCH_EVENTS=200000 for a quick run)
// Everything lives under its own prefix, deleted at the end.
import { randomBytes, randomUUID } from 'node:crypto';
import { connectJetStreamStore, deleteJetStreamNamespace, type EventStore } from '@camledger/event-store';
import { connect, DeliverPolicy, type NatsConnection } from 'nats';
import { replay } from '../../services/cli/src/replay.ts';
import { undoOnInterrupt } from '../support/interrupt.ts';
import { machineLine } from '../support/measure.ts';

const total = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const streams = Math.max(1, Math.round(total / 100)); // 100 events per item, a busy item's life
const perStream = Math.ceil(total / streams);
const eventsPerAppend = Number(process.env.BENCH_EVENTS_PER_APPEND ?? 1);
const concurrency = 256;
const prefix = `benchreplay_${randomBytes(3).toString('hex')}`;

const owner = `usr_${'A'.padStart(26, '0')}`;
const itemId = (n: number) => `itm_${String(n).padStart(26, '0')}`;
const metadata = (n: number) => ({
  commandId: `bench-${n}`,
  correlationId: `bench-${n}`,
  actor: n === 0 ? 'system' : owner,
  occurredAt: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
  schemaVersion: 1,
});

/** The n-th event of an item: recorded first, then its owner labels and flags it. */
function eventOf(item: string, n: number) {
  if (n === 0)
    return {
      type: 'ItemRecorded',
      data: {
        itemId: item,
        cameraId: `cam_${'1'.padStart(26, '0')}`,
        ownerId: owner,
        startDatetime: '2026-01-01T00:00:00.000Z',
        endDatetime: '2026-01-01T00:00:10.000Z',
        isAlert: false,
        frames: [{ identifier: 'f'.repeat(27), datetime: '2026-01-01T00:00:00.000Z', milliseconds: null }],
      },
    };
  return n % 2
    ? { type: 'ItemUpdated', data: { itemId: item, label: `label ${n}` } }
    : { type: 'ItemFlagSet', data: { itemId: item, flagged: n % 4 === 0 } };
}

async function seed(store: EventStore): Promise<number> {
  // Streams advance in rounds so many are in flight at once, each append at its expected revision.
  let written = 0;
  const started = performance.now();
  for (let round = 0; round < perStream && written < total; round += eventsPerAppend) {
    const jobs: Promise<unknown>[] = [];
    for (let s = 0; s < streams && written < total; s++) {
      const count = Math.min(eventsPerAppend, perStream - round, total - written);
      const events = Array.from({ length: count }, (_, i) => ({
        id: randomUUID(),
        ...eventOf(itemId(s), round + i),
        metadata: metadata(round + i),
      }));
      written += count;
      jobs.push(store.append(`item-${itemId(s)}`, events, { expectedRevision: round - 1 }));
      if (jobs.length >= concurrency) await Promise.all(jobs.splice(0));
    }
    await Promise.all(jobs);
    if (round % 10 === 0)
      process.stderr.write(
        `seeded ${written} events (${Math.round(written / ((performance.now() - started) / 1000))}/s)\n`,
      );
  }
  return written;
}

/** Reads every message of the events stream with a plain ordered consumer and decodes it, folding nothing. */
async function rawRead(nc: NatsConnection): Promise<{ messages: number; events: number; seconds: number }> {
  const js = nc.jetstream();
  const name = `${prefix}_events`;
  const last = (await (await nc.jetstreamManager()).streams.info(name)).state.last_seq;
  const started = performance.now();
  const consumer = await js.consumers.get(name, {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: 1,
  });
  const iter = await consumer.consume({ max_messages: Number(process.env.BENCH_RAW_BATCH ?? 256) });
  let messages = 0;
  let events = 0;
  for await (const m of iter) {
    messages++;
    events += (m.json() as { events: unknown[] }).events.length;
    if (m.seq >= last) break;
  }
  iter.stop();
  return { messages, events, seconds: (performance.now() - started) / 1000 };
}

/** The adapter's readAll alone, folding nothing: tells the adapter's cost from the fold's. */
async function adapterRead(store: EventStore): Promise<{ events: number; seconds: number }> {
  const started = performance.now();
  let events = 0;
  for await (const _ of store.readAll()) events++;
  return { events, seconds: (performance.now() - started) / 1000 };
}

const silent = { out: () => {}, err: () => {} };

const nc = await connect({ servers: process.env.NATS_URL ?? '127.0.0.1:4222' });
const store = await connectJetStreamStore(nc, { prefix, replicas: 1 });
// Up to a million messages: removed on an interrupt too.
const undo = undoOnInterrupt(() => deleteJetStreamNamespace(nc, prefix));
try {
  const seedStart = performance.now();
  const written = await seed(store);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  // Raw first, then replay, then raw again: both sides see a warm server.
  const raw1 = await rawRead(nc);
  const report = await replay(store, silent);
  const adapter = await adapterRead(store);
  const raw2 = await rawRead(nc);
  const raw = raw1.seconds < raw2.seconds ? raw1 : raw2;
  const rawRate = raw.events / raw.seconds;
  const result = {
    machine: machineLine(),
    events: written,
    streams,
    eventsPerAppend,
    seedSeconds: +seedSeconds.toFixed(1),
    replay: {
      events: report.events,
      seconds: +report.seconds.toFixed(2),
      eventsPerSecond: Math.round(report.eventsPerSecond),
      unfoldable: report.unfoldable.length,
    },
    rawNatsRead: {
      messages: raw.messages,
      events: raw.events,
      seconds: +raw.seconds.toFixed(2),
      eventsPerSecond: Math.round(rawRate),
    },
    adapterReadAllNoFold: {
      seconds: +adapter.seconds.toFixed(2),
      eventsPerSecond: Math.round(adapter.events / adapter.seconds),
    },
    replayToRaw: +(report.eventsPerSecond / rawRate).toFixed(2),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await store.close();
  await undo();
  await nc.drain();
}
