import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { launcherEntry, launcherReady } from '../support/camledger-process.ts';
import { type PrivateNatsServer, startNatsServer } from '../support/nats-server.ts';
import { uniquePrefix } from '../support/test-worker.ts';
import { killAllWorkerProcesses, spawnWorker, type WorkerProcess } from '../support/worker-process.ts';

// `pnpm start` with every role, its NATS gone for good: the process must
// exit non-zero so that its supervisor restarts it, whichever role notices
// first, however the others take being stopped without a connection.

let server: PrivateNatsServer | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await killAllWorkerProcesses();
  await server?.dispose();
  server = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const exitWithin = (p: WorkerProcess, ms: number) =>
  Promise.race([
    p.exited,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms)),
  ]);

it('every role on, NATS gone for good: exits 1 once the reconnect attempts are used up', async () => {
  server = await startNatsServer();
  dataDir = mkdtempSync(join(tmpdir(), 'camledger-lost-'));
  const launcher = spawnWorker({
    env: {
      NATS_URL: server.url,
      CAMLEDGER_PREFIX: uniquePrefix('lostall'),
      CAMLEDGER_STORE: 'jetstream',
      CAMLEDGER_DATA_DIR: dataDir,
      CAMLEDGER_EDGE_ADDR: '127.0.0.1:0',
      CAMLEDGER_NATS_MAX_RECONNECTS: '2',
      CAMLEDGER_NATS_RECONNECT_WAIT_MS: '100',
    },
    entry: launcherEntry,
    readyMessage: launcherReady,
    readyTimeoutMs: 90_000,
  });
  await launcher.ready;
  await server.stop();
  const how = await exitWithin(launcher, 30_000);
  expect(how, JSON.stringify(launcher.lines.slice(-5))).toMatchObject({ code: 1 });
}, 120_000);
