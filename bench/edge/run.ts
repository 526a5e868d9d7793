// Edge benchmark: `pnpm bench edge` (or `node --import tsx bench/edge/run.ts`;
// NATS_URL, default 127.0.0.1:4222). Prints the `## HTTP edge` section of
// BENCHMARKS.md on stdout, progress on stderr; deletes what it made, also when
// interrupted.
//
// The whole stack runs as `pnpm start` runs it: one launcher process
// (services/camledger, every role, PGlite in a temp directory, the edge on a
// free port) under a prefix of its own. Two load generators, each in its own
// process and run back to back, alternating which goes first:
//   - HTTP: autocannon through the edge, every request signed (HMAC-SHA1, fresh nonce);
//   - NATS: the same command or query sent straight to the worker / query server.
// Both act for the same user at the same number in flight. The command is
// `item.set_flag`, each connection toggling its own item (always accepted, one
// stream per item so lanes never conflict: the edge's cost is not hidden
// behind retries); the query is `account.get` (no parameters: the edge's cost
// is the largest share of the total).
//
// BENCH_SECONDS (5), BENCH_REPEATS (3), BENCH_IN_FLIGHT (64),
// BENCH_EDGE_NODE_ARGS (node flags for the launcher, e.g. `--cpu-prof --cpu-prof-dir=reports/profile`).
import { type ChildProcess, execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nonceBucketName } from '@camledger/api-edge';
import { createClient } from '@camledger/client';
import { deleteJetStreamNamespace } from '@camledger/event-store';
import { connect } from 'nats';
import { undoOnInterrupt } from '../support/interrupt.ts';
import { machineLine, median } from '../support/measure.ts';
import { cpuSeconds } from '../support/proc.ts';
import { spawnTsx } from '../support/spawn-tsx.ts';
import type { LoadResult, LoadSpec } from './load-spec.ts';

const natsUrl = process.env.NATS_URL ?? '127.0.0.1:4222';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 64);
/** Flags NODE_OPTIONS refuses (such as --cpu-prof) go on the command line. */
const LAUNCHER_NODE_ARGS = (process.env.BENCH_EDGE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const GOAL = 0.7;
const runId = Date.now().toString(36);
const prefix = `clbe_${runId}`;
const note = (s: string) => console.error(`  · ${s}`);

// ---------------------------------------------------------------- the launcher

interface Launcher {
  readonly proc: ChildProcess;
  readonly edgeUrl: string;
  stop(): Promise<void>;
}

/** Its log goes to a file, not a pipe: at thousands of requests/s reading it would load this process. */
async function startLauncher(dataDir: string): Promise<Launcher> {
  const logFile = join(dataDir, 'camledger.log');
  const fd = openSync(logFile, 'w');
  const proc = spawnTsx('services/camledger/src/main.ts', {
    nodeArgs: LAUNCHER_NODE_ARGS,
    env: {
      NATS_URL: natsUrl,
      CAMLEDGER_PREFIX: prefix,
      CAMLEDGER_STORE: 'jetstream',
      CAMLEDGER_DATA_DIR: dataDir,
      CAMLEDGER_EDGE_ADDR: '127.0.0.1:0',
      CAMLEDGER_SECRETS_KEY: `bench key ${prefix}`,
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`launcher exited:\n${readFileSync(logFile, 'utf8')}`);
    const ready = readFileSync(logFile, 'utf8')
      .split('\n')
      .map((line) => {
        try {
          return JSON.parse(line) as { msg?: string; edge?: string };
        } catch {
          return {};
        }
      })
      .find((line) => line.msg === 'camledger ready');
    if (ready?.edge) return { proc, edgeUrl: ready.edge, stop };
    await sleep(200);
  }
  await stop();
  throw new Error('launcher not ready in 120 s');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- load generators

type Side = 'http' | 'nats';

/** One load generator process; its result, and the launcher's CPU per request meanwhile (µs). */
async function load(side: Side, spec: LoadSpec, launcherPid: number): Promise<LoadResult & { cpu: number }> {
  const script = side === 'http' ? 'bench/edge/http-load.ts' : 'bench/edge/nats-load.ts';
  const child = spawnTsx(script, {
    env: { LOAD_SPEC: JSON.stringify(spec) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-4000);
  });
  // The launcher idles while the child starts (tsx, connecting), so that adds next to nothing.
  const cpu0 = cpuSeconds(launcherPid);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${side} load generator failed (${code}):\n${err}`);
  const result = JSON.parse(out.trim().split('\n').pop() ?? '') as LoadResult;
  return { ...result, cpu: ((cpuSeconds(launcherPid) - cpu0) * 1e6) / Math.max(1, result.count) };
}

// ---------------------------------------------------------------- main

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'camledger-edge-bench-'));
  const nc = await connect({ servers: natsUrl, name: 'camledger-edge-bench' });
  let launcher: Launcher | undefined;
  const cleanUp = async () => {
    await launcher?.stop();
    await deleteJetStreamNamespace(nc, prefix).catch(() => undefined);
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(`KV_${nonceBucketName(prefix)}`).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const undo = undoOnInterrupt(cleanUp);

  const lines: string[] = [];
  const say = (s = '') => {
    lines.push(s);
    console.error(s);
  };
  try {
    const load0 = execFileSync('uptime', { encoding: 'utf8' }).trim();
    launcher = await startLauncher(dataDir);
    const pid = launcher.proc.pid as number;
    note(`launcher ${pid} ready, edge at ${launcher.edgeUrl}`);

    // One user with a camera and one recorded clip per lane; a consumer and a token for that user.
    const client = createClient(nc, { prefix, timeoutMs: 15_000 });
    const ok = <T>(o: { ok: boolean; result?: T }, what: string): T => {
      if (!o.ok) throw new Error(`${what}: ${JSON.stringify(o)}`);
      return o.result as T;
    };
    type R = Record<string, unknown>;
    const userId = String(
      ok<R>(await client.account.register({ username: `bench${runId}` }), 'register').user_id,
    );
    const cameraId = String(
      ok<R>(
        await client.camera.register({ owner_id: userId, label: 'bench', live_view_capable: 0 }),
        'camera',
      ).camera_id,
    );
    const items: string[] = [];
    for (let i = 0; i < IN_FLIGHT; i++) {
      const recorded = await client.item.record({
        camera_id: cameraId,
        start_datetime: '2026-01-01 10:00:00',
        end_datetime: '2026-01-01 10:00:05',
        is_alert: 0,
        frames: [{ identifier: `frame-${String(i).padStart(24, '0')}`, datetime: '2026-01-01 10:00:00' }],
      });
      items.push(String(ok<R>(recorded, 'record').item_id));
    }
    const consumer = ok<R>(await client.auth.add_consumer({ name: 'edge bench' }), 'add_consumer');
    const token = ok<R>(
      await client.auth.issue_token({ consumer_key: String(consumer.consumer_key), user_id: userId }),
      'issue_token',
    );
    const credentials = {
      consumer: { key: String(consumer.consumer_key), secret: String(consumer.consumer_secret) },
      token: { key: String(token.token), secret: String(token.token_secret) },
    };
    // Wait until the edge can see the token and the read side knows the user.
    const until = Date.now() + 60_000;
    for (;;) {
      const seen = (
        await nc.request(
          `${prefix}.edge.credentials`,
          JSON.stringify({ consumer_key: credentials.consumer.key, token: credentials.token.key }),
          { timeout: 5_000 },
        )
      ).json<{ result?: { token?: { active?: boolean; user_registered?: boolean } } }>().result?.token;
      if (seen?.active && seen.user_registered) break;
      if (Date.now() > until) throw new Error('the edge never saw the token');
      await sleep(200);
    }
    note('user, items and token ready');

    say('## HTTP edge');
    say();
    say(
      `${machineLine()}. \`pnpm bench edge\`; load when started: \`${load0.replace(/^.*load/, 'load')}\`. ` +
        `One launcher process (every role, PGlite, JetStream file storage) and two load generators, each in its own process: ` +
        `autocannon through the edge, every request signed with HMAC-SHA1 and a fresh nonce, and a nats.js client sending the same ` +
        `command or query straight over NATS, ${IN_FLIGHT} in flight each, for the same user; each figure the median of ${REPEATS} runs of ${SECONDS} s, run back to back, alternating which side goes first.`,
    );
    say();
    say(
      '| request | side | requests/s | p50 ms | p99 ms | not accepted | launcher CPU µs / request | HTTP / NATS |',
    );
    say('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    const verdicts: string[] = [];
    let lookupRow: string | undefined;
    for (const kind of ['command', 'query'] as const) {
      const spec: LoadSpec = {
        kind,
        inFlight: IN_FLIGHT,
        seconds: SECONDS,
        userId,
        items,
        edgeUrl: launcher.edgeUrl,
        ...credentials,
        natsUrl,
        prefix,
      };
      const warm = { ...spec, seconds: 1 };
      await load('http', warm, pid);
      await load('nats', warm, pid);
      const runs: Record<Side, (LoadResult & { cpu: number })[]> = { http: [], nats: [] };
      for (let r = 0; r < REPEATS; r++) {
        const order: Side[] = r % 2 === 0 ? ['http', 'nats'] : ['nats', 'http'];
        for (const side of order) runs[side].push(await load(side, spec, pid));
      }
      const ratio = median(runs.http.map((h, i) => h.rate / (runs.nats[i] as LoadResult).rate));
      const name = kind === 'command' ? '`item.set_flag` (command)' : '`account.get` (query)';
      for (const side of ['http', 'nats'] as const) {
        const m = (f: (x: LoadResult & { cpu: number }) => number) => median(runs[side].map(f));
        say(
          `| ${name} | ${side === 'http' ? 'HTTP edge' : 'NATS'} | ${m((x) => x.rate).toFixed(0)} | ${fmt(m((x) => x.p50))} | ${fmt(m((x) => x.p99))} | ` +
            `${runs[side].reduce((n, x) => n + x.failed, 0)} | ${m((x) => x.cpu).toFixed(0)} | ${side === 'http' ? ratio.toFixed(2) : ''} |`,
        );
      }
      verdicts.push(
        `${name}: HTTP / NATS ${ratio.toFixed(2)}, goal ≥ ${GOAL} ${ratio >= GOAL ? 'met' : 'NOT met'}`,
      );
      if (kind === 'query') {
        // What the edge asks the query servers before every request, alone: with it and the
        // query both served by the one PGlite, the look-up's rate bounds the edge's.
        const lookups: (LoadResult & { cpu: number })[] = [];
        await load('nats', { ...spec, kind: 'credentials', seconds: 1 }, pid);
        for (let r = 0; r < REPEATS; r++)
          lookups.push(await load('nats', { ...spec, kind: 'credentials' }, pid));
        const lm = (f: (x: LoadResult & { cpu: number }) => number) => median(lookups.map(f));
        lookupRow = `| \`edge.credentials\` look-up alone (what the edge asks per request) | NATS | ${lm((x) => x.rate).toFixed(0)} | ${fmt(lm((x) => x.p50))} | ${fmt(lm((x) => x.p99))} | ${lookups.reduce((n, x) => n + x.failed, 0)} | ${lm((x) => x.cpu).toFixed(0)} |  |`;
      }
    }
    if (lookupRow) say(lookupRow);
    say();
    say(`${verdicts.join('; ')}.`);
    console.log(lines.join('\n'));
  } finally {
    await undo();
    await nc.drain();
  }
}

await main();
