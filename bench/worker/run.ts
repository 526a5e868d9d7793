// Worker benchmark: `pnpm bench worker` (or `node --import tsx bench/worker/run.ts`;
// NATS_URL, default 127.0.0.1:4222). Prints the `## Worker` section of
// BENCHMARKS.md on stdout, progress on stderr; bounded to a few minutes and
// deletes every prefix it made, also when interrupted.
//
// 1. Accepted commands/s and p50/p99 latency of `account.add_credits` and of
//    `folder.create` at 1, 16, 64 and 128 in flight, with 1 and 2 worker
//    processes, beside the raw ceiling (bench/worker/ceiling.ts, as many
//    responder processes as workers) driven by the same load generator. Each
//    lane tops up its own account, or creates folders with new names in its
//    own user's tree (no client-chosen folder_id), so lanes never conflict;
//    one contended case puts 16 lanes on one account.
// 1a. The same with the ceiling writing what the worker's append carries
//    (index headers, the command key as message id, the full metadata), to
//    tell the price of the worker's bytes from the price of its command path.
// 1b. The NATS messages each accepted command costs, by kind (a spy
//    connection subscribed to everything while one worker, then the
//    ceiling, serves 16 lanes): what the profile's nats.js share is spent on.
// 2. Latency of the same command on random accounts of a store holding 1k and
//    one holding 1M events, from two fresh workers measured in alternating
//    rounds (and the 1M store's worker on the 1k store's accounts, to tell the
//    store's size from the cache's misses), and each worker's RSS (/proc/<pid>/status) during and after,
//    including a sweep over more accounts than the worker's state cache holds.
//
// Workers run as separate processes (as `pnpm start` runs them) so their
// memory is their own; the machine is shared, so every figure is the median
// of a few runs and the ratios are taken between runs made back to back.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, type NatsConnection, StorageType } from 'nats';
import { connectJetStreamStore, deleteJetStreamNamespace } from '../../packages/event-store/src/index.ts';
import { eventSubject, eventsStreamName } from '../../packages/event-store/src/jetstream/layout.ts';
import { startWorkerProcess } from '../../test/support/worker-process.ts';
import { undoOnInterrupt } from '../support/interrupt.ts';
import { driveLanes, type LaneResult } from '../support/lanes.ts';
import { machineLine, median } from '../support/measure.ts';
import { cpuSeconds, mainThreadCpuSeconds } from '../support/proc.ts';
import { spawnTsx } from '../support/spawn-tsx.ts';
import {
  ceilingReadyLine,
  ceilingRequestSubject,
  ceilingStream,
  ceilingSubject,
  seededUser,
} from './names.ts';
import { seedAccounts } from './seed.ts';

const servers = process.env.NATS_URL ?? '127.0.0.1:4222';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const LARGE = Number(process.env.BENCH_LARGE ?? 1_000_000);
const SMALL = 1_000;
const SWEEP_SECONDS = Number(process.env.BENCH_SWEEP_SECONDS ?? 15);
const LEVELS = (process.env.BENCH_LEVELS ?? '1,16,64,128').split(',').map(Number);
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
/**
 * `throughput`, `shape` (the worker against a ceiling that writes the
 * worker's bytes), `messages` (what each command costs in NATS messages),
 * `latency` (1k vs 1M and memory); default all.
 */
const PARTS = (process.env.BENCH_PARTS ?? 'throughput,shape,messages,latency').split(',');
const SHAPE_LEVELS = (process.env.BENCH_SHAPE_LEVELS ?? '1,16,64').split(',').map(Number);
/** Which commands the throughput part drives, by name without backticks (default: both). */
const COMMANDS = (process.env.BENCH_COMMANDS ?? 'account.add_credits,folder.create').split(',');
/**
 * Node options for the worker processes and the ceiling responders alike, so
 * both sides can be profiled the same way, e.g. `--perf-prof` or `--cpu-prof
 * --cpu-prof-dir=reports/profile` (Node refuses those in NODE_OPTIONS).
 */
const WORKER_NODE_ARGS = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const LATENCY_LEVELS = [1, 16];
/** Worker processes (and ceiling responders) serving while the messages part counts. */
const MESSAGE_WORKERS = Number(process.env.BENCH_MESSAGE_WORKERS ?? 1);
const runId = Date.now().toString(36);

/**
 * The ceiling's stream, with the duplicate window of the worker's events
 * stream under the same prefix: the ceiling's publish carries a message id
 * as the worker's append does, and the server tracks both ids alike.
 */
async function addCeilingStream(nc: NatsConnection, p: string): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const events = await jsm.streams.info(eventsStreamName(p));
  await jsm.streams.add({
    name: ceilingStream(p),
    subjects: [ceilingSubject(p, '>')],
    storage: StorageType.File,
    num_replicas: 1,
    duplicate_window: events.config.duplicate_window,
  });
}

// ---------------------------------------------------------------- processes

interface Child {
  readonly pid: number;
  stop(): Promise<unknown>;
  kill(signal: NodeJS.Signals): void;
}
const children = new Set<Child>();

async function startWorker(prefix: string): Promise<Child> {
  const worker = await startWorkerProcess(
    { NATS_URL: servers, CAMLEDGER_PREFIX: prefix, CAMLEDGER_STORE: 'jetstream' },
    WORKER_NODE_ARGS,
    // Its log lines are drained, not parsed: the ceiling logs none, and this
    // process's CPU is taken from the same two cores the worker runs on.
    'drop',
  );
  const child: Child = {
    pid: worker.pid,
    stop: () => worker.stop().finally(() => children.delete(child)),
    kill: (s) => worker.kill(s),
  };
  children.add(child);
  return child;
}

async function startCeiling(prefix: string): Promise<Child> {
  const proc: ChildProcess = spawnTsx('bench/worker/ceiling.ts', {
    nodeArgs: WORKER_NODE_ARGS,
    env: { NATS_URL: servers, CEILING_PREFIX: prefix },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const kill = (s: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(s);
  };
  const child: Child = {
    pid: proc.pid ?? -1,
    kill,
    stop: async () => {
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      children.delete(child);
    },
  };
  children.add(child);
  let stderr = '';
  proc.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ceiling not ready; stderr:\n${stderr}`)), 20_000);
    proc.stdout?.on('data', (c: Buffer) => {
      if (c.toString().includes(ceilingReadyLine)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', () => reject(new Error(`ceiling exited before it was ready; stderr:\n${stderr}`)));
  });
  return child;
}

// ---------------------------------------------------------------- memory

const rssMiB = (pid: number): number => {
  try {
    const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
};

/** The highest RSS of each watched process since the last `reset`, sampled every 100 ms. */
class RssPeaks {
  private readonly peaks = new Map<number, number>();
  private readonly timer = setInterval(() => this.sample(), 100);
  constructor(private readonly pids: readonly number[]) {
    this.sample();
  }
  private sample(): void {
    for (const pid of this.pids) {
      const now = rssMiB(pid);
      if (!(now <= (this.peaks.get(pid) ?? 0))) this.peaks.set(pid, now);
    }
  }
  peak(pid: number): number {
    this.sample();
    return this.peaks.get(pid) ?? Number.NaN;
  }
  reset(): void {
    this.peaks.clear();
    this.sample();
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

// ---------------------------------------------------------------- cpu

/**
 * The nats-server serving `servers` on this machine, if it is local, visible
 * and the only candidate: one whose command line names the port (`-p`,
 * `--port`), or, for 4222, one that names none, reads no config file and
 * is not a `--version`. Taking the first process that did not name another
 * port could take a cluster test's `-c` node or a passing `nats-server
 * --version` (`/proc` is not listed in pid order), whose CPU, or NaN once it
 * had exited, then filled the nats-server column.
 */
function natsServerPid(): number | undefined {
  const port = /:(\d+)$/.exec(servers)?.[1] ?? '4222';
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!args[0]?.endsWith('nats-server')) continue;
      const flag = args.findIndex((a) => a === '-p' || a === '--port' || a === '-port');
      const named =
        flag >= 0 ? args[flag + 1] : /^--?port=(\d+)$/.exec(args.find((a) => /^--?port=/.test(a)) ?? '')?.[1];
      const portUnknown = args.some(
        (a) =>
          a === '-c' || a === '--config' || /^--?config=/.test(a) || /^--?(version|help)$|^-[vh]$/.test(a),
      );
      if (named === port || (named === undefined && !portUnknown && port === '4222'))
        found.push(Number(entry));
    } catch {}
  }
  if (found.length !== 1)
    console.error(
      `  · nats-server CPU not measured: ${found.length} processes could be the one on port ${port}`,
    );
  return found.length === 1 ? found[0] : undefined;
}

/**
 * Write system calls a process has made so far (`syscw` of /proc/<pid>/io):
 * nats.js's flushes of its outbound buffer, and the worker's log writes
 * (about one per 18 commands), so their count per command says how well a
 * process batches its messages into socket writes.
 */
const writeCalls = (pid: number): number => {
  try {
    return Number(/^syscw: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
};

interface CpuUse {
  /** Microseconds of CPU per accepted command: the serving processes, the server, this load generator. */
  readonly serving: number;
  readonly server: number;
  readonly client: number;
  /** Write system calls of the serving processes per accepted command. */
  readonly writes: number;
  /**
   * The busiest serving process's main thread: its CPU time over the run's
   * wall time. Near 1, that one thread bounds the rate, whatever the cores.
   */
  readonly mainBusy: number;
}

/** One measured run with the CPU it cost each side. */
type Measured = LaneResult & { cpu: CpuUse };

/** Runs `task` and charges the CPU the serving processes, the server and this process used to its accepted commands. */
async function withCpu(
  pids: readonly number[],
  serverPid: number | undefined,
  task: () => Promise<LaneResult>,
): Promise<Measured> {
  const sum = () => pids.reduce((t, pid) => t + cpuSeconds(pid), 0);
  const writes = () => pids.reduce((t, pid) => t + writeCalls(pid), 0);
  const server = () => (serverPid === undefined ? Number.NaN : cpuSeconds(serverPid));
  const mains = () => pids.map(mainThreadCpuSeconds);
  const [s0, w0, n0, c0, m0, t0] = [
    sum(),
    writes(),
    server(),
    process.cpuUsage(),
    mains(),
    performance.now(),
  ];
  const result = await task();
  const c1 = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / 1000;
  const m1 = mains();
  const accepted = Math.max(1, result.count - result.failed);
  const per = (seconds: number) => (seconds * 1e6) / accepted;
  return {
    ...result,
    cpu: {
      serving: per(sum() - s0),
      server: per(server() - n0),
      client: per((c1.user + c1.system) / 1e6),
      writes: (writes() - w0) / accepted,
      mainBusy: Math.max(...m1.map((m, i) => (m - (m0[i] ?? Number.NaN)) / wall)),
    },
  };
}

// ---------------------------------------------------------------- load

type Send = (lane: number) => Promise<boolean>;

/** `account.add_credits` as the billing service sends it, to the account `userOf(lane)` names. */
const addCredits =
  (nc: NatsConnection, prefix: string, userOf: (lane: number) => string): Send =>
  async (lane) => {
    const body = JSON.stringify({
      command_id: randomUUID(),
      actor: 'system',
      payload: { user_id: userOf(lane), credits: 1 },
    });
    const reply = await nc.request(`${prefix}.internal.account.add_credits`, body, { timeout: 15_000 });
    return (JSON.parse(reply.string()) as { ok?: boolean }).ok === true;
  };

/**
 * `folder.create` as a user sends it: each lane is its own user (a seeded
 * account) creating top-level folders with names never used before, without
 * a client-chosen folder_id, so the id is derived and needs no claim first.
 */
const createFolder = (nc: NatsConnection, prefix: string, userOf: (lane: number) => string): Send => {
  let n = 0;
  return async (lane) => {
    const body = JSON.stringify({
      command_id: randomUUID(),
      actor: userOf(lane),
      payload: { name: `folder ${runId} ${n++}`, parent_id: 0 },
    });
    const reply = await nc.request(`${prefix}.cmd.folder.create`, body, { timeout: 15_000 });
    return (JSON.parse(reply.string()) as { ok?: boolean }).ok === true;
  };
};

/**
 * The same request shape to the ceiling; the lane carries the sequence its
 * last reply reported. `shaped`: the ceiling writes the bytes the worker's
 * append carries (bench/worker/ceiling.ts). Shaped lanes write their own subjects.
 *
 * A lane whose request failed no longer knows its subject's last sequence
 * (a publish that timed out may still have been stored), and every later
 * request on it would be refused: it moves to a subject of its own that is
 * still empty, so one failure costs one request, not the rest of the run.
 */
function ceilingLanes(nc: NatsConnection, prefix: string, shaped = false): Send {
  const lastSeq = new Map<number, number>();
  const generation = new Map<number, number>();
  return async (lane) => {
    const g = generation.get(lane) ?? 0;
    const body = JSON.stringify({
      lane: `${shaped ? 'w' : 'l'}${lane}${g > 0 ? `g${g}` : ''}`,
      expect: lastSeq.get(lane) ?? 0,
      command_id: randomUUID(),
      payload: { user_id: seededUser(lane), credits: 1 },
      ...(shaped ? { shape: 'worker' } : {}),
    });
    const answer = await nc
      .request(ceilingRequestSubject(prefix), body, { timeout: 15_000 })
      .then((reply) => JSON.parse(reply.string()) as { ok?: boolean; seq?: number })
      .catch(() => ({ ok: false, seq: undefined }));
    if (answer.ok === true && answer.seq !== undefined) {
      lastSeq.set(lane, answer.seq);
      return true;
    }
    generation.set(lane, g + 1);
    lastSeq.delete(lane);
    return false;
  };
}

const randomUser = (population: number) => () => seededUser(Math.floor(Math.random() * population));

/**
 * The store read a worker makes for an account it has not cached, on its
 * own: one direct get of the account subject's last message, from this
 * process. Its latency on the small and the large store is the server's
 * share of the difference between them.
 */
function plainTailRead(nc: NatsConnection, prefix: string, user: () => string): Send {
  const stream = eventsStreamName(prefix);
  // Made once, as the adapter makes its own: each `jetstreamManager()` call
  // asks the server for the account's info first, a second round trip that
  // the worker's read does not make.
  const manager = nc.jetstreamManager();
  return async () => {
    const jsm = await manager;
    const direct = (jsm as unknown as { direct: { getMessage(s: string, q: object): Promise<unknown> } })
      .direct;
    await direct.getMessage(stream, { last_by_subj: eventSubject(prefix, `account-${user()}`) });
    return true;
  };
}

// ---------------------------------------------------------------- messages

/** What a message seen on the server is, by its subject and reply subject. */
function messageKind(subject: string, reply: string | undefined, prefix: string): string {
  const delivered = reply?.startsWith('$JS.ACK.') ?? false;
  if (subject.startsWith('_INBOX.')) return 'reply (to the client; publish acks; ack confirmations)';
  if (subject.startsWith(`${prefix}.cmd.`) || subject.startsWith(`${prefix}.internal.`))
    return 'command request';
  if (subject === ceilingRequestSubject(prefix)) return 'command request';
  if (subject.startsWith(`${prefix}.events.`) || subject.startsWith(`${prefix}.ceiling.`))
    return delivered ? 'append delivered to a consumer (follow-up queue, log followers)' : 'append published';
  if (subject.startsWith(`$KV.${prefix}_replies.`))
    return delivered ? 'reply-log record delivered (keys replica)' : 'reply-log record published';
  if (subject.startsWith('$JS.ACK.')) return 'consumer ack';
  if (subject.startsWith('$JS.API.DIRECT.GET.')) return 'read: direct get of a stored message';
  if (subject.startsWith('$JS.API.CONSUMER.MSG.NEXT.')) return 'consumer pull request';
  if (subject.startsWith('$JS.API.')) return 'other JetStream API request';
  return 'other';
}

// ---------------------------------------------------------------- main

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const mib = (x: number) => x.toFixed(0);

async function main(): Promise<void> {
  const nc = await connect({ servers, name: 'camledger-worker-bench' });
  const prefixes: string[] = [];
  const prefix = (name: string) => {
    const p = `clbw_${runId}_${name}`;
    prefixes.push(p);
    return p;
  };
  const cleanUp = async () => {
    for (const c of [...children]) c.kill('SIGKILL');
    const jsm = await nc.jetstreamManager();
    for (const p of prefixes) {
      await deleteJetStreamNamespace(nc, p).catch(() => undefined);
      await jsm.streams.delete(ceilingStream(p)).catch(() => undefined);
    }
  };
  // An interrupted run must not leave a million messages on the shared server.
  const undo = undoOnInterrupt(cleanUp);
  const started = performance.now();
  const lines: string[] = [];
  const say = (s = '') => {
    lines.push(s);
    console.error(s);
  };
  const note = (s: string) => console.error(`  · ${s}`);

  try {
    say('## Worker');
    say();
    say(
      `${machineLine()} (JetStream, file storage, 1 replica). \`pnpm bench worker\`; ` +
        `each figure the median of ${REPEATS} runs of ${SECONDS} s; workers and ceiling responders are separate processes.`,
    );
    say();

    // ------------------------------------------------ 1. throughput vs ceiling
    if (PARTS.includes('throughput')) {
      const s = prefix('s');
      await (await connectJetStreamStore(nc, { prefix: s, replicas: 1 })).close();
      // One account per lane: a lane past the seeded ones would be refused
      // (unknown user) and measure rejections, not the command path.
      await seedAccounts(nc, s, 0, Math.max(SMALL, ...LEVELS));
      const jsm = await nc.jetstreamManager();
      await addCeilingStream(nc, s);
      const commands = [
        { name: '`account.add_credits`', send: addCredits(nc, s, (lane) => seededUser(lane)) },
        { name: '`folder.create`', send: createFolder(nc, s, (lane) => seededUser(lane)) },
      ].filter((c) => COMMANDS.includes(c.name.replaceAll('`', '')));
      const ceilingSend = ceilingLanes(nc, s);

      say(
        '### Throughput against the raw ceiling (`account.add_credits`: each lane its own account; `folder.create`: each lane its own user, new names, no folder_id)',
      );
      say();
      say(
        '| command | workers | in flight | accepted/s | p50 ms | p99 ms | ceiling/s | ceiling p50 ms | ceiling p99 ms | worker / ceiling |',
      );
      say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
      const workers: Child[] = [];
      const ceilings: Child[] = [];
      let contended: LaneResult | undefined;
      const serverPid = natsServerPid();
      const cpuRows: string[] = [];
      // Left out of the rates and latencies above, so said beside them, not only on stderr.
      const failures: string[] = [];
      for (const count of WORKER_COUNTS) {
        while (workers.length < count) workers.push(await startWorker(s));
        while (ceilings.length < count) ceilings.push(await startCeiling(s));
        for (const command of commands) {
          const workerSend = command.send;
          for (const inFlight of LEVELS) {
            // Unmeasured: fills the worker's caches and wakes the JIT on both sides.
            await driveLanes(inFlight, 0.5, workerSend);
            await driveLanes(inFlight, 0.5, ceilingSend);
            const w: Measured[] = [];
            const c: Measured[] = [];
            const runWorker = async () =>
              w.push(
                await withCpu(
                  workers.map((x) => x.pid),
                  serverPid,
                  () => driveLanes(inFlight, SECONDS, workerSend),
                ),
              );
            const runCeiling = async () =>
              c.push(
                await withCpu(
                  ceilings.map((x) => x.pid),
                  serverPid,
                  () => driveLanes(inFlight, SECONDS, ceilingSend),
                ),
              );
            for (let r = 0; r < REPEATS; r++) {
              // Alternate which side goes first, so drift in the machine's load hits both alike.
              if (r % 2 === 0) {
                await runWorker();
                await runCeiling();
              } else {
                await runCeiling();
                await runWorker();
              }
            }
            const failed = w.reduce((n, x) => n + x.failed, 0) + c.reduce((n, x) => n + x.failed, 0);
            if (failed > 0)
              failures.push(`${failed} failed: ${command.name}, ${count} workers, ${inFlight} in flight`);
            const ratio = median(w.map((x, i) => x.rate / (c[i] as LaneResult).rate));
            const m = <T>(xs: T[], f: (x: T) => number) => median(xs.map(f));
            const us = (x: number) => x.toFixed(0);
            const calls = (x: number) => x.toFixed(2);
            cpuRows.push(
              `| ${command.name} | ${count} | ${inFlight} | ${us(m(w, (x) => x.cpu.serving))} | ${us(m(w, (x) => x.cpu.server))} | ${us(m(w, (x) => x.cpu.client))} | ${calls(m(w, (x) => x.cpu.writes))} | ${calls(m(w, (x) => x.cpu.mainBusy))} | ` +
                `${us(m(c, (x) => x.cpu.serving))} | ${us(m(c, (x) => x.cpu.server))} | ${us(m(c, (x) => x.cpu.client))} | ${calls(m(c, (x) => x.cpu.writes))} | ${calls(m(c, (x) => x.cpu.mainBusy))} |`,
            );
            say(
              `| ${command.name} | ${count} | ${inFlight} | ${m(w, (x) => x.rate).toFixed(0)} | ${fmt(m(w, (x) => x.p50))} | ${fmt(m(w, (x) => x.p99))} | ` +
                `${m(c, (x) => x.rate).toFixed(0)} | ${fmt(m(c, (x) => x.p50))} | ${fmt(m(c, (x) => x.p99))} | ${ratio.toFixed(2)} |`,
            );
          }
        }
        if (count === 1) {
          // Contended: every lane on one account, so all but one attempt per round conflict.
          contended = await driveLanes(
            16,
            SECONDS,
            addCredits(nc, s, () => seededUser(SMALL - 1)),
          );
        }
      }
      say();
      say(
        "### Where the CPU goes: microseconds of CPU per accepted command, the serving processes' write system calls per accepted command, and how busy the busiest serving process's event loop thread was (its CPU over wall time; same runs; the server is shared, so its column also holds whatever else it served meanwhile)",
      );
      say();
      say(
        '| command | workers | in flight | worker processes | nats-server | load generator | worker writes | worker main thread busy | ceiling processes | nats-server | load generator | ceiling writes | ceiling main thread busy |',
      );
      say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
      for (const row of cpuRows) say(row);
      say();
      if (contended)
        say(
          `Contended (1 worker, 16 in flight, all on one account): ${contended.rate.toFixed(0)} accepted/s, ` +
            `p50 ${fmt(contended.p50)} ms, p99 ${fmt(contended.p99)} ms, ${contended.failed} failed.`,
        );
      say(`Requests that failed (over all ${REPEATS} runs of a row): ${failures.join('; ') || 'none'}.`);
      for (const c of [...workers, ...ceilings]) await c.stop();
      await deleteJetStreamNamespace(nc, s);
      await jsm.streams.delete(ceilingStream(s));
      note(`throughput done at ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }

    // ------------------------ 1a. the same ceiling, writing the worker's bytes
    if (PARTS.includes('shape')) {
      const w = prefix('w');
      await (await connectJetStreamStore(nc, { prefix: w, replicas: 1 })).close();
      await seedAccounts(nc, w, 0, 128);
      await addCeilingStream(nc, w);
      const worker = await startWorker(w);
      const ceiling = await startCeiling(w);
      const serverPid = natsServerPid();
      const sides = [
        { name: 'worker', pid: worker.pid, send: addCredits(nc, w, seededUser) },
        { name: 'ceiling', pid: ceiling.pid, send: ceilingLanes(nc, w) },
        { name: 'shaped ceiling', pid: ceiling.pid, send: ceilingLanes(nc, w, true) },
      ];
      say(
        "### The ceiling writing the worker's bytes (`account.add_credits`, 1 worker; the shaped ceiling publishes the worker's index headers, 64-character message id and full event metadata, and does nothing more)",
      );
      say();
      say(
        '| in flight | worker/s | ceiling/s | shaped ceiling/s | worker / ceiling | worker / shaped ceiling | nats-server CPU µs per command: worker, ceiling, shaped |',
      );
      say('| ---: | ---: | ---: | ---: | ---: | ---: | --- |');
      const failures: string[] = [];
      for (const inFlight of SHAPE_LEVELS) {
        for (const side of sides) await driveLanes(inFlight, 0.5, side.send);
        const runs: [Measured[], Measured[], Measured[]] = [[], [], []];
        for (let r = 0; r < REPEATS; r++) {
          // Rotate who goes first, so drift in the machine's load hits all three alike.
          for (let k = 0; k < sides.length; k++) {
            const i = (r + k) % sides.length;
            const side = sides[i]!;
            runs[i]!.push(
              await withCpu([side.pid], serverPid, () => driveLanes(inFlight, SECONDS, side.send)),
            );
          }
        }
        for (const [i, side] of sides.entries()) {
          const failed = runs[i]!.reduce((n, x) => n + x.failed, 0);
          if (failed > 0) failures.push(`${failed} failed: ${side.name}, ${inFlight} in flight`);
        }
        const [ws, cs, ss] = runs;
        const rate = (xs: LaneResult[]) => median(xs.map((x) => x.rate));
        const ratio = (xs: LaneResult[]) => median(ws.map((x, i) => x.rate / (xs[i] as LaneResult).rate));
        const server = runs.map((xs) => median(xs.map((x) => x.cpu.server)).toFixed(0)).join(', ');
        say(
          `| ${inFlight} | ${rate(ws).toFixed(0)} | ${rate(cs).toFixed(0)} | ${rate(ss).toFixed(0)} | ${ratio(cs).toFixed(2)} | ${ratio(ss).toFixed(2)} | ${server} |`,
        );
      }
      say();
      say(`Requests that failed (over all ${REPEATS} runs of a row): ${failures.join('; ') || 'none'}.`);
      say();
      await worker.stop();
      await ceiling.stop();
      await deleteJetStreamNamespace(nc, w);
      await (await nc.jetstreamManager()).streams.delete(ceilingStream(w));
      note(`shape done at ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }

    // ------------------------------------------------ 1b. messages per command
    if (PARTS.includes('messages')) {
      const m = prefix('m');
      await (await connectJetStreamStore(nc, { prefix: m, replicas: 1 })).close();
      await seedAccounts(nc, m, 0, 64);
      await addCeilingStream(nc, m);
      for (let i = 0; i < MESSAGE_WORKERS; i++) {
        await startWorker(m);
        await startCeiling(m);
      }
      const spy = await connect({ servers, name: 'camledger-worker-bench-spy' });
      const columns = [
        { name: '`account.add_credits`', send: addCredits(nc, m, seededUser) },
        { name: '`folder.create`', send: createFolder(nc, m, seededUser) },
        { name: 'ceiling', send: ceilingLanes(nc, m) },
      ].filter((c) => c.name === 'ceiling' || COMMANDS.includes(c.name.replaceAll('`', '')));
      const perColumn: Map<string, number>[] = [];
      for (const column of columns) {
        await driveLanes(16, 0.5, column.send);
        await new Promise((r) => setTimeout(r, 500));
        const counts = new Map<string, number>();
        const sub = spy.subscribe('>', {
          callback: (_e, msg) => {
            const kind = messageKind(msg.subject, msg.reply, m);
            counts.set(kind, (counts.get(kind) ?? 0) + 1);
          },
        });
        const run = await driveLanes(16, SECONDS, column.send);
        // What a command sends behind its reply (the record, the queue's delivery) lands just after.
        await new Promise((r) => setTimeout(r, 500));
        sub.unsubscribe();
        const accepted = Math.max(1, run.count - run.failed);
        perColumn.push(new Map([...counts].map(([k, n]) => [k, n / accepted])));
      }
      await spy.close();
      say(
        `### Messages the server routes per accepted command (${MESSAGE_WORKERS} worker${MESSAGE_WORKERS > 1 ? 's' : ''}, 16 in flight; every message on the connection, by kind)`,
      );
      say();
      say(`| message | ${columns.map((c) => c.name).join(' | ')} |`);
      say(`| --- | ${columns.map(() => '---:').join(' | ')} |`);
      const kinds = [...new Set(perColumn.flatMap((c) => [...c.keys()]))].sort();
      const cell = (x: number | undefined) => (x === undefined || x < 0.005 ? '' : x.toFixed(2));
      for (const kind of kinds) say(`| ${kind} | ${perColumn.map((c) => cell(c.get(kind))).join(' | ')} |`);
      const totals = perColumn.map((c) => [...c.values()].reduce((a, b) => a + b, 0));
      say(`| **all** | ${totals.map((t) => `**${t.toFixed(2)}**`).join(' | ')} |`);
      say();
      for (const c of [...children]) await c.stop();
      note(`messages done at ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }

    // ------------------------------------------------ 2. 1k vs 1M events in the store
    if (PARTS.includes('latency')) {
      const k = prefix('k');
      const l = prefix('l');
      for (const [p, n] of [
        [k, SMALL],
        [l, LARGE],
      ] as const) {
        await (await connectJetStreamStore(nc, { prefix: p, replicas: 1 })).close();
        const t = performance.now();
        await seedAccounts(nc, p, 0, n);
        note(`seeded ${n} events in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }
      const small = await startWorker(k);
      const large = await startWorker(l);
      const rss = new RssPeaks([small.pid, large.pid]);
      const atStart = { small: rssMiB(small.pid), large: rssMiB(large.pid) };
      const setups = [
        { name: 'small', child: small, send: addCredits(nc, k, randomUser(SMALL)) },
        { name: 'large', child: large, send: addCredits(nc, l, randomUser(LARGE)) },
      ] as const;
      const plainReads = [
        { name: 'small-read', send: plainTailRead(nc, k, randomUser(SMALL)) },
        { name: 'large-read', send: plainTailRead(nc, l, randomUser(LARGE)) },
      ] as const;
      // The large store's worker again, on the same 1k accounts the small
      // store has (its first 1k): what the store's size costs when the active
      // accounts are the same, apart from what missing the cache costs.
      const sameAccounts = [{ name: 'large-same', send: addCredits(nc, l, randomUser(SMALL)) }] as const;
      const latency = new Map<string, LaneResult[]>();
      for (const setup of [...setups, ...sameAccounts, ...plainReads])
        for (const inFlight of LATENCY_LEVELS) await driveLanes(inFlight, 0.5, setup.send);
      for (let r = 0; r < REPEATS; r++) {
        for (const inFlight of LATENCY_LEVELS) {
          const all = [...setups, ...sameAccounts, ...plainReads];
          const order = r % 2 === 0 ? all : [...all].reverse();
          for (const setup of order) {
            const key = `${setup.name}/${inFlight}`;
            latency.set(key, [...(latency.get(key) ?? []), await driveLanes(inFlight, SECONDS, setup.send)]);
          }
        }
      }
      const afterLatency = { small: rssMiB(small.pid), large: rssMiB(large.pid) };
      rss.reset();
      // Many distinct accounts at 128 in flight. The state cache is bounded by bytes (256 MiB by
      // default), not by a count of entries: RSS levels off only once a sweep has filled it,
      // which a short sweep may not do; the quarter marks below tell whether it did.
      const sweep: Record<string, LaneResult> = {};
      const timeline: Record<string, number[]> = {};
      for (const setup of setups) {
        // RSS at each quarter of the sweep: a bounded worker levels off once its cache is full.
        const marks: number[] = [];
        const timer = setInterval(() => marks.push(rssMiB(setup.child.pid)), SWEEP_SECONDS * 250);
        sweep[setup.name] = await driveLanes(128, SWEEP_SECONDS, setup.send);
        clearInterval(timer);
        timeline[setup.name] = marks.slice(0, 4);
      }
      const sweepPeak = { small: rss.peak(small.pid), large: rss.peak(large.pid) };
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const afterSweep = { small: rssMiB(small.pid), large: rssMiB(large.pid) };
      rss.stop();

      say();
      say(
        `### Latency with 1k and with ${LARGE.toLocaleString('en')} events in the store (\`account.add_credits\` on a random seeded account, 1 worker)`,
      );
      say();
      const largeName = LARGE >= 1e6 ? '1M' : String(LARGE);
      // Small beside large, per in-flight level: medians of the runs and their ratio.
      const smallBesideLarge = (small: string, large: string) => {
        say(
          `| in flight | 1k: p50 ms | 1k: p99 ms | ${largeName}: p50 ms | p99 ms | large / 1k p50 | large / 1k p99 |`,
        );
        say('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
        for (const inFlight of LATENCY_LEVELS) {
          const a = latency.get(`${small}/${inFlight}`) as LaneResult[];
          const b = latency.get(`${large}/${inFlight}`) as LaneResult[];
          const p50 = [median(a.map((x) => x.p50)), median(b.map((x) => x.p50))] as const;
          const p99 = [median(a.map((x) => x.p99)), median(b.map((x) => x.p99))] as const;
          say(
            `| ${inFlight} | ${fmt(p50[0])} | ${fmt(p99[0])} | ${fmt(p50[1])} | ${fmt(p99[1])} | ` +
              `${(p50[1] / p50[0]).toFixed(2)} | ${(p99[1] / p99[0]).toFixed(2)} |`,
          );
        }
      };
      smallBesideLarge('small', 'large');
      say();
      say(
        `The same run, the ${largeName} store's worker on the 1k accounts the small store has (the first 1k of its ${LARGE.toLocaleString('en')}), in the same alternating rounds: the store's size alone, with the same accounts active. (Its cache also holds the random accounts of the rows above, which may push some of the 1k out.)`,
      );
      say();
      smallBesideLarge('small', 'large-same');
      say();
      say(
        "The same run, the server alone: one direct get of a random account subject's last message (what a worker reads for an account it has not cached), from the load generator.",
      );
      say();
      smallBesideLarge('small-read', 'large-read');
      say();
      say('### Worker memory (RSS of the worker process, MiB)');
      say();
      say(
        `| store | at ready | after the latency runs | during a ${SWEEP_SECONDS} s sweep at 128 in flight, at ¼ · ½ · ¾ · end | peak in the sweep | commands in the sweep | 1 s after the sweep |`,
      );
      say('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
      for (const setup of setups) {
        const n = setup.name;
        say(
          `| ${n === 'small' ? '1k' : LARGE.toLocaleString('en')} | ${mib(atStart[n])} | ${mib(afterLatency[n])} | ` +
            `${(timeline[n] ?? []).map(mib).join(' · ')} | ${mib(sweepPeak[n])} | ${(sweep[n] as LaneResult).count.toLocaleString('en')} commands (${(sweep[n] as LaneResult).rate.toFixed(0)}/s) | ${mib(afterSweep[n])} |`,
        );
      }
      await small.stop();
      await large.stop();
    }
    say();
    say(`Total benchmark time ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    console.log(lines.join('\n'));
  } finally {
    await undo();
    await nc.drain();
  }
}

await main();
