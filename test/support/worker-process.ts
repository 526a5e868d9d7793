import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectJetStreamStore } from '@camledger/event-store';
import type { NatsConnection } from 'nats';

// The worker as `pnpm start` runs it, in a process of its own, so a test can
// kill -9 it, send it SIGTERM, or read what it logs and how it exits.

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const entry = 'services/command-worker/src/main.ts';
export const readyMessage = 'camledger command worker ready';

export interface WorkerProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Every JSON line the worker logged so far (lines that are not JSON are kept as `{ raw }`). */
  readonly lines: Record<string, unknown>[];
  readonly stderr: () => string;
  /** Resolves on the ready line; rejects if the process exits first or is not ready in time. */
  readonly ready: Promise<void>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, wait for the exit (SIGKILL after `graceMs`), and return how it exited. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<WorkerProcess>();

export interface SpawnOptions {
  readonly env: Record<string, string>;
  readonly readyTimeoutMs?: number;
  /** Another entry point (the launcher of every role) and the line that says it is ready. */
  readonly entry?: string;
  readonly readyMessage?: string;
  /** Node options that NODE_OPTIONS may not carry (`--cpu-prof`), before the entry. */
  readonly nodeArgs?: readonly string[];
  /**
   * `drop`: once ready, read the worker's output but parse and keep none of
   * it (`lines` stops at the ready line). For benchmarks, whose load
   * generator shares the machine with the worker and must not spend its CPU
   * parsing a log line per command that nobody reads.
   */
  readonly afterReady?: 'keep' | 'drop';
}

/** `node --import tsx services/command-worker/src/main.ts` with `env` over a clean base environment. */
export function spawnWorker(options: SpawnOptions): WorkerProcess {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', options.entry ?? entry],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let partial = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker not ready in time; stderr:\n${stderr}`)),
      options.readyTimeoutMs ?? 20_000,
    );
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code ?? signal}) before it was ready; stderr:\n${stderr}`));
    });
    onReady = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  ready.catch(() => {}); // a test that never awaits `ready` must not see an unhandled rejection
  let served = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    if (served) return;
    partial += chunk.toString();
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      if (line.trim() === '') continue;
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        parsed = { raw: line };
      }
      lines.push(parsed);
      if (parsed.msg === (options.readyMessage ?? readyMessage)) {
        onReady();
        served = options.afterReady === 'drop';
        if (served) break;
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const handle: WorkerProcess = {
    pid: child.pid ?? -1,
    child,
    lines,
    stderr: () => stderr,
    ready,
    exited,
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    async stop(graceMs = 15_000) {
      handle.kill('SIGTERM');
      const timer = setTimeout(() => handle.kill('SIGKILL'), graceMs);
      const how = await exited;
      clearTimeout(timer);
      return how;
    },
  };
  running.add(handle);
  void exited.then(() => running.delete(handle));
  return handle;
}

/** Starts a worker process and waits for its ready line. */
export async function startWorkerProcess(
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
  afterReady: SpawnOptions['afterReady'] = 'keep',
): Promise<WorkerProcess> {
  const worker = spawnWorker({ env, nodeArgs, afterReady });
  try {
    await worker.ready;
  } catch (error) {
    worker.kill('SIGKILL');
    throw error;
  }
  return worker;
}

/** Kills (SIGKILL) every worker process this test file started that is still running. For afterAll/afterEach. */
export async function killAllWorkerProcesses(): Promise<void> {
  const left = [...running];
  for (const w of left) w.kill('SIGKILL');
  await Promise.all(left.map((w) => w.exited));
}

/** Runs the entry to its exit (for configurations that must stop it) and returns what it said. */
export async function runWorkerToExit(
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const worker = spawnWorker({ env, readyTimeoutMs: timeoutMs });
  const timer = setTimeout(() => worker.kill('SIGKILL'), timeoutMs);
  const { code } = await worker.exited;
  clearTimeout(timer);
  return {
    code,
    stdout: worker.lines.map((l) => JSON.stringify(l)).join('\n'),
    stderr: worker.stderr(),
  };
}

/**
 * What the workers under `prefix` wrote to one account, read straight from
 * JetStream (not through a worker): the balance and the command id of every
 * top-up, so a test can tell "exactly once" from "at least once".
 */
export async function readAccountCredits(
  nc: NatsConnection,
  prefix: string,
  userId: string,
): Promise<{ balance: number; topUps: string[] }> {
  const store = await connectJetStreamStore(nc, { prefix, replicas: 1 });
  try {
    const events = await store.readStream(`account-${userId}`);
    let balance = 0;
    const topUps: string[] = [];
    for (const e of events) {
      const data = e.data as { credits?: number };
      if (e.type === 'CreditsAdded') {
        balance += data.credits ?? 0;
        topUps.push(String(e.metadata.commandId));
      } else if (e.type === 'LiveViewStarted') balance -= data.credits ?? 0;
    }
    return { balance, topUps };
  } finally {
    await store.close();
  }
}
