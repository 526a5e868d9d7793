import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { launcherEntry, launcherReady } from '../support/camledger-process.ts';
import { type PrivateNatsServer, startNatsServer } from '../support/nats-server.ts';
import { uniquePrefix } from '../support/test-worker.ts';
import { killAllWorkerProcesses, spawnWorker, type WorkerProcess } from '../support/worker-process.ts';

// `pnpm start` with every role, its NATS gone for good: the process must
// exit non-zero so that its supervisor restarts it, whichever role notices
// first, however the others take being stopped without a connection. And a
// NATS that hangs without closing must not hold a stop for ever.

let server: PrivateNatsServer | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await killAllWorkerProcesses();
  await server?.dispose();
  server = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Every role on a private NATS server and a PGlite directory of its own, ready. */
async function launcherOnPrivateNats(tag: string, env: Record<string, string> = {}) {
  server = await startNatsServer();
  dataDir = mkdtempSync(join(tmpdir(), `camledger-${tag}-`));
  const prefix = uniquePrefix(tag);
  const launcher = spawnWorker({
    env: {
      NATS_URL: server.url,
      CAMLEDGER_PREFIX: prefix,
      CAMLEDGER_STORE: 'jetstream',
      CAMLEDGER_DATA_DIR: dataDir,
      CAMLEDGER_EDGE_ADDR: '127.0.0.1:0',
      ...env,
    },
    entry: launcherEntry,
    readyMessage: launcherReady,
    readyTimeoutMs: 90_000,
  });
  await launcher.ready;
  return { nats: server, launcher, cleanClose: join(dataDir, prefix, 'clean-close') };
}

const exitWithin = (p: WorkerProcess, ms: number) =>
  Promise.race([
    p.exited,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms)),
  ]);

it('every role on, NATS gone for good: exits 1 once the reconnect attempts are used up', async () => {
  const { nats, launcher, cleanClose } = await launcherOnPrivateNats('lostall', {
    CAMLEDGER_NATS_MAX_RECONNECTS: '2',
    CAMLEDGER_NATS_RECONNECT_WAIT_MS: '100',
  });
  await nats.stop();
  const how = await exitWithin(launcher, 30_000);
  expect(how, JSON.stringify(launcher.lines.slice(-5))).toMatchObject({ code: 1 });
  // The other roles stop at once without their connection: none waits out
  // the 10 s given to them (a drain's flush on a closed connection did).
  expect(
    launcher.lines.map((l) => l.msg),
    JSON.stringify(launcher.lines.slice(-16).map((l) => [l.time, l.msg, l.part, l.role, l.waitingOn])),
  ).not.toContain('the stop did not finish in time: exiting');
  // The embedded read store needs no NATS to close: closed cleanly, the
  // next start serves its rows at once instead of rebuilding them all.
  expect(existsSync(cleanClose), JSON.stringify(launcher.lines.slice(-5))).toBe(true);
}, 120_000);

const lastLines = (p: WorkerProcess) => JSON.stringify(p.lines.slice(-4));

it('NATS hung, SIGTERM: the launcher gives up on the stop after its deadline, exits 1, the read store closed', async () => {
  const { nats, launcher, cleanClose } = await launcherOnPrivateNats('hungall');
  nats.freeze();
  launcher.kill('SIGTERM');
  // The deadline is 20 s, under compose's 30 s grace period.
  expect(await exitWithin(launcher, 28_000), lastLines(launcher)).toMatchObject({ code: 1 });
  expect(launcher.lines.map((l) => l.msg)).toContain('the stop did not finish in time: exiting');
  expect(existsSync(cleanClose), lastLines(launcher)).toBe(true);
}, 120_000);

it('NATS hung, SIGTERM: the worker drains until a second signal, which exits 1 at once', async () => {
  server = await startNatsServer();
  const worker = spawnWorker({
    env: { NATS_URL: server.url, CAMLEDGER_PREFIX: uniquePrefix('hungwrk'), CAMLEDGER_STORE: 'jetstream' },
  });
  await worker.ready;
  server.freeze();
  worker.kill('SIGTERM');
  expect(await exitWithin(worker, 1_000)).toBe('still running');
  worker.kill('SIGTERM');
  expect(await exitWithin(worker, 5_000), lastLines(worker)).toMatchObject({ code: 1 });
  expect(worker.lines.map((l) => l.msg)).toContain('signal while stopping: exiting now');
}, 120_000);
