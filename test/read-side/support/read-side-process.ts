import { type ChildProcess, spawn } from 'node:child_process';
import { repoRoot } from '../../support/worker-process.ts';

// The read side as a process of its own (services/query-server/src/main.ts),
// so a test can kill -9 its projector in the middle of its work.

const entry = 'services/query-server/src/main.ts';
export const readSideReady = 'camledger read side ready';

export interface ReadSideProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  /** The last of what it wrote to stdout (its JSON log lines). */
  stdout(): string;
}

export function spawnReadSide(env: Record<string, string>): ReadSideProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout = (stdout + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read side not ready; stderr:\n${stderr}`)), 60_000);
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-10_000);
      if (seen.includes(readSideReady)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`read side exited (${code ?? signal}) before it was ready; stderr:\n${stderr}`));
    });
  });
  ready.catch(() => {});
  return { child, ready, exited, stderr: () => stderr, stdout: () => stdout };
}
