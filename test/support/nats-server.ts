import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A NATS server of the test's own, on a port and store directory nobody else
// uses, so a test may stop and restart it without disturbing the shared
// server the other tests run on.

export const natsServerBinary = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

export interface PrivateNatsServer {
  readonly port: number;
  readonly url: string;
  readonly storeDir: string;
  /** SIGTERM and wait for the process to be gone (the port is then free again). */
  stop(): Promise<void>;
  /** Start again on the same port and store directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** SIGSTOP: the server keeps its connections open but answers nothing, as a hung one does. */
  freeze(): void;
  /** SIGCONT after `freeze`. */
  thaw(): void;
  /** Stop for good and remove the store directory. */
  dispose(): Promise<void>;
}

/** A port the OS says is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `nats-server -js` on a free port with a fresh store directory. */
export async function startNatsServer(): Promise<PrivateNatsServer> {
  const port = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), 'camledger-nats-'));
  let child: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    if (child) return;
    const proc = spawn(natsServerBinary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => {
      output = (output + d.toString()).slice(-8000);
    });
    proc.stderr?.on('data', (d: Buffer) => {
      output = (output + d.toString()).slice(-8000);
    });
    proc.once('exit', () => {
      if (child === proc) child = undefined;
    });
    // "Server is ready" is printed once the client port listens; polling the
    // port is simpler and does not depend on the log format.
    for (let i = 0; i < 100; i++) {
      if (await portAccepts(port)) return;
      if (!child) break;
      await sleep(100);
    }
    throw new Error(`nats-server did not come up on port ${port}:\n${output}`);
  };

  const stop = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  };

  await start();
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    storeDir,
    stop,
    start,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    async dispose() {
      // A frozen server would never act on the SIGTERM.
      child?.kill('SIGCONT');
      await stop();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}
