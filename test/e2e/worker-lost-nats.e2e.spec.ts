import { afterEach, describe, expect, it } from 'vitest';
import { type PrivateNatsServer, startNatsServer } from '../support/nats-server.ts';
import { uniquePrefix } from '../support/test-worker.ts';
import { killAllWorkerProcesses, startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

// A worker whose NATS is gone for good must not stay up serving nothing: it
// exits non-zero so its supervisor restarts it or pages someone. A drain on
// SIGTERM is the other way a worker stops serving, and must stay exit 0.
// Both on a nats-server of the test's own, never the shared one.

let server: PrivateNatsServer | undefined;
afterEach(async () => {
  await killAllWorkerProcesses();
  await server?.dispose();
  server = undefined;
});

const lostLine = 'stopped serving commands: exiting';

async function workerOnPrivateServer(): Promise<WorkerProcess> {
  server = await startNatsServer();
  return startWorkerProcess({
    NATS_URL: server.url,
    CAMLEDGER_PREFIX: uniquePrefix('lost'),
    CAMLEDGER_STORE: 'memory',
    // Give up after two quick attempts instead of reconnecting forever (the default).
    CAMLEDGER_NATS_MAX_RECONNECTS: '2',
    CAMLEDGER_NATS_RECONNECT_WAIT_MS: '100',
  });
}

function exitWithin(worker: WorkerProcess, ms: number) {
  return Promise.race([
    worker.exited,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms)),
  ]);
}

describe('a worker whose NATS server is gone for good', () => {
  it('logs the loss at error and exits non-zero once its reconnect attempts are used up', async () => {
    const worker = await workerOnPrivateServer();
    await server?.stop();
    const how = await exitWithin(worker, 15_000);
    expect(how).not.toBe('still running');
    expect(how).toMatchObject({ code: 1 });
    expect(worker.lines.find((l) => l.msg === lostLine)).toMatchObject({ level: 50 });
  });
});

describe('a worker drained on SIGTERM', () => {
  it('exits 0 and does not report a loss', async () => {
    const worker = await workerOnPrivateServer();
    const how = await worker.stop();
    expect(how.code).toBe(0);
    expect(worker.lines.some((l) => l.msg === 'stopped')).toBe(true);
    expect(worker.lines.some((l) => l.msg === lostLine)).toBe(false);
  });
});
