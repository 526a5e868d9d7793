// Event store benchmark: `npx tsx bench/event-store/run.ts` (NATS_URL, default
// 127.0.0.1:4222). Bounded to a few minutes; prints a markdown section for
// BENCHMARKS.md and deletes everything it wrote under its own prefix.
//
// 1. Append throughput at 1, 16 and 128 appends in flight: the JetStream
//    adapter next to raw nats.js publishes of the same bytes with the same
//    header checks (the ceiling), and the memory adapter for comparison.
// 2. readStream of a 50-event aggregate (BENCH_AGGREGATE_EVENTS) whose messages are spread through a
//    stream of 10k and of 300k messages.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { connect, headers, JSONCodec, type NatsConnection } from 'nats';
import {
  connectJetStreamStore,
  deleteJetStreamNamespace,
  type EventStore,
  type EventToAppend,
  memoryEventStore,
} from '../../packages/event-store/src/index.ts';
import { eventSubject } from '../../packages/event-store/src/jetstream/layout.ts';
import { undoOnInterrupt } from '../support/interrupt.ts';
import { driveLanes } from '../support/lanes.ts';
import { median } from '../support/measure.ts';

const servers = process.env.NATS_URL ?? '127.0.0.1:4222';
const SECONDS_PER_RUN = Number(process.env.BENCH_SECONDS ?? 2);
/** Events (one message each) of the aggregate the read part reads back. */
const AGGREGATE = Number(process.env.BENCH_AGGREGATE_EVENTS ?? 50);
const REPEATS = 5;
const runId = Date.now().toString(36);

/** A typical small domain event (~250 bytes of JSON with its metadata). */
const sampleEvent = (i: number): EventToAppend => ({
  id: randomUUID(),
  type: 'ItemRenamed',
  data: {
    itemId: `itm_${i.toString(36).padStart(10, '0')}`,
    name: `Snapshot ${i} – entrée`,
    folderId: 'fld_0000000001',
  },
  metadata: { actor: 'usr_0000000001', commandId: randomUUID(), occurredAt: '2025-01-01T00:00:00.000Z' },
});

/** Runs `inFlight` lanes for a fixed time; each lane appends to its own aggregate, one append after another. */
async function throughput(
  inFlight: number,
  appendOne: (lane: number, n: number) => Promise<void>,
  seconds = SECONDS_PER_RUN,
): Promise<number> {
  // Each lane's next append expects the revision its last one wrote.
  const appended = Array.from({ length: inFlight }, () => 0);
  const run = await driveLanes(inFlight, seconds, async (lane) => {
    await appendOne(lane, appended[lane] ?? 0);
    appended[lane] = (appended[lane] ?? 0) + 1;
    return true;
  });
  if (run.failed > 0) throw new Error(`${run.failed} of ${run.count} appends failed`);
  return run.rate;
}

const adapterLanes = (store: EventStore, tag: string) => (lane: number, n: number) =>
  store.append(`bench-${tag}${lane}`, [sampleEvent(n)], { expectedRevision: n - 1 }).then(() => undefined);

/**
 * The ceiling: what the adapter publishes, prebuilt, through js.publish with the
 * same headers (message id, index headers of a typical size) and the same
 * expected-last-subject-sequence check.
 */
function rawLanes(nc: NatsConnection, prefix: string, tag: string) {
  const js = nc.jetstream();
  const codec = JSONCodec();
  const lastSeq = new Map<number, number>();
  return async (lane: number, n: number) => {
    const stream = `bench-${tag}${lane}`;
    const e = sampleEvent(n);
    const body = codec.encode({ stream, events: [e] });
    const h = headers();
    h.set('Nats-Msg-Id', `${e.id}.1`);
    h.set('Cl-Rev', String(n));
    h.set('Cl-Last', String(n));
    if (n > 0)
      h.set(
        'Cl-Index',
        Array.from({ length: n % 64 }, (_, k) => `${(k * 977).toString(36)}:${k.toString(36)}`).join(','),
      );
    if (h.get('Cl-Index') === '') h.delete('Cl-Index');
    const ack = await js.publish(eventSubject(prefix, stream), body, {
      headers: h,
      expect: { lastSubjectSequence: lastSeq.get(lane) ?? 0 },
    });
    lastSeq.set(lane, ack.seq);
  };
}

/** Fills the events stream with `total` messages, the AGGREGATE of `target` spread evenly among them. */
async function fill(nc: NatsConnection, store: EventStore, prefix: string, total: number, target: string) {
  const js = nc.jetstream();
  const codec = JSONCodec();
  const fillers = total - AGGREGATE;
  const between = Math.floor(fillers / AGGREGATE);
  let written = 0;
  const writeFillers = async (count: number) => {
    const window: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const n = written++;
      const stream = `filler-${prefix}x${n}`;
      const h = headers();
      h.set('Cl-Rev', '0');
      h.set('Cl-Last', '0');
      window.push(
        js.publish(eventSubject(prefix, stream), codec.encode({ stream, events: [sampleEvent(n)] }), {
          headers: h,
        }),
      );
      if (window.length >= 512) await Promise.all(window.splice(0));
    }
    await Promise.all(window);
  };
  for (let k = 0; k < AGGREGATE; k++) {
    await writeFillers(between);
    await store.append(target, [sampleEvent(k)], { expectedRevision: k - 1 });
  }
  await writeFillers(fillers - written);
}

async function readTimes(store: EventStore, target: string, reads: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < reads; i++) {
    const t = performance.now();
    const events = await store.readStream(target);
    times.push(performance.now() - t);
    if (events.length !== AGGREGATE)
      throw new Error(`read ${events.length} events of ${target}, expected ${AGGREGATE}`);
  }
  return times;
}

async function main() {
  const nc = await connect({ servers });
  const prefixes: string[] = [];
  const prefix = (name: string) => {
    const p = `clbench_${runId}_${name}`;
    prefixes.push(p);
    return p;
  };
  const started = performance.now();
  // Interrupted runs clean up too, so the shared server does not keep 300k messages around.
  const undo = undoOnInterrupt(async () => {
    for (const p of prefixes) await deleteJetStreamNamespace(nc, p).catch(() => undefined);
  });
  try {
    const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
    const lines: string[] = [];
    const say = (s = '') => {
      lines.push(s);
      console.error(s);
    };
    say('## Event store');
    say();
    say(
      `Run ${new Date().toISOString().slice(0, 10)} on ${availableParallelism()} cores (${cpu}), Node ${process.version}, nats-server ${nc.info?.version} (JetStream, file storage, 1 replica). ` +
        `\`npx tsx bench/event-store/run.ts\`; medians of ${REPEATS} runs of ${SECONDS_PER_RUN} s.`,
    );
    say();
    say(
      '### Append throughput (1 event of ~250 B per append, each lane its own aggregate, exact expected revision)',
    );
    say();
    say(
      '| in flight | JetStream adapter (appends/s) | raw js.publish, same bytes and checks (/s) | adapter / raw (median of paired runs) | memory adapter (appends/s) |',
    );
    say('| ---: | ---: | ---: | ---: | ---: |');
    const appendPrefix = prefix('append');
    const jsStore = await connectJetStreamStore(nc, { prefix: appendPrefix, replicas: 1 });
    for (const inFlight of [1, 16, 128]) {
      const adapter: number[] = [];
      const raw: number[] = [];
      const memory: number[] = [];
      // Unmeasured, as the other benches warm up: the first measured pair would otherwise pay
      // for the JIT (the first level above all) on whichever side went first.
      await throughput(inFlight, adapterLanes(jsStore, `w${inFlight}a`), 0.5);
      await throughput(inFlight, rawLanes(nc, appendPrefix, `w${inFlight}r`), 0.5);
      await throughput(inFlight, adapterLanes(memoryEventStore(), 'w'), 0.5);
      for (let r = 0; r < REPEATS; r++) {
        // Alternate which side goes first, so drift in the machine's load and the growth of the
        // server's duplicate-detection map hit both sides alike.
        const runAdapter = async () =>
          adapter.push(await throughput(inFlight, adapterLanes(jsStore, `a${inFlight}r${r}l`)));
        const runRaw = async () =>
          raw.push(await throughput(inFlight, rawLanes(nc, appendPrefix, `r${inFlight}r${r}l`)));
        if (r % 2 === 0) {
          await runAdapter();
          await runRaw();
        } else {
          await runRaw();
          await runAdapter();
        }
        memory.push(await throughput(inFlight, adapterLanes(memoryEventStore(), 'm')));
      }
      // The ratio is the median of each repeat's own ratio: both sides of a pair ran back to back.
      const ratio = median(adapter.map((a, i) => a / raw[i]!));
      say(
        `| ${inFlight} | ${median(adapter).toFixed(0)} | ${median(raw).toFixed(0)} | ${ratio.toFixed(2)} | ${median(memory).toFixed(0)} |`,
      );
    }
    await jsStore.close();
    await deleteJetStreamNamespace(nc, appendPrefix);

    say();
    say(
      `### readStream of a ${AGGREGATE}-event aggregate (${AGGREGATE} messages spread evenly through the stream)`,
    );
    say();
    say(
      '| messages in the stream | JetStream adapter, median of 300 reads in alternating rounds (ms) | memory adapter (ms) |',
    );
    say('| ---: | ---: | ---: |');
    // Both streams are filled first, then read in alternating rounds, so a change in the
    // machine's load during the run hits both sizes alike.
    const sizes = [10_000, 300_000];
    const setups: { total: number; p: string; target: string; reader: EventStore; times: number[] }[] = [];
    for (const total of sizes) {
      const p = prefix(`read${total}`);
      const writer = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
      const target = `camera-${p}target`;
      const t = performance.now();
      await fill(nc, writer, p, total, target);
      console.error(`filled ${total} messages in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      await writer.close();
      // A fresh store, so no tail cached by the writer helps the reads.
      const reader = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
      for (let i = 0; i < 50; i++) await reader.readStream(target); // warm-up, unmeasured
      setups.push({ total, p, target, reader, times: [] });
    }
    for (let round = 0; round < 10; round++) {
      for (const s of setups) s.times.push(...(await readTimes(s.reader, s.target, 30)));
    }
    const memory = memoryEventStore();
    const memoryTarget = 'camera-memorytarget';
    for (let k = 0; k < AGGREGATE; k++)
      await memory.append(memoryTarget, [sampleEvent(k)], { expectedRevision: k - 1 });
    const memoryMs = median(await readTimes(memory, memoryTarget, 300));
    const results = setups.map((s) => median(s.times));
    for (const [i, s] of setups.entries()) {
      say(`| ${s.total.toLocaleString('en')} | ${results[i]!.toFixed(2)} | ${memoryMs.toFixed(3)} |`);
      await s.reader.close();
      await deleteJetStreamNamespace(nc, s.p);
    }
    say();
    say(
      `300k / 10k read time: ${(results[1]! / results[0]!).toFixed(2)}x (goal: within 1.5x). ` +
        `Total benchmark time ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    );
    console.log(lines.join('\n'));
  } finally {
    await undo();
    await nc.drain();
  }
}

await main();
