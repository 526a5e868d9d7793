import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nonceBucketName } from '@camledger/api-edge';
import { deleteJetStreamNamespace } from '@camledger/event-store';
import { connect, type NatsConnection } from 'nats';
import { natsUrl, uniquePrefix } from './test-worker.ts';
import { spawnWorker, type WorkerProcess } from './worker-process.ts';

// camledger as `pnpm start` runs it (services/camledger/src/main.ts): every
// role in one process, on the embedded defaults, under a prefix and a PGlite
// directory of its own, the edge on a free port.

export const launcherEntry = 'services/camledger/src/main.ts';
export const launcherReady = 'camledger ready';

export interface CamledgerProcess {
  readonly proc: WorkerProcess;
  readonly prefix: string;
  readonly env: Record<string, string>;
  /** `http://127.0.0.1:<port>` of the edge, from the ready line. */
  readonly edgeUrl: string;
  /** A connection of the test's own, to send commands and queries as other services do. */
  readonly nc: NatsConnection;
  /** SIGTERM the process (if still running), delete what it made under the prefix, remove its directory. */
  dispose(): Promise<void>;
}

export async function startCamledger(env: Record<string, string> = {}): Promise<CamledgerProcess> {
  const prefix = uniquePrefix('one');
  const dataDir = mkdtempSync(join(tmpdir(), 'camledger-'));
  const fullEnv = {
    NATS_URL: natsUrl,
    CAMLEDGER_PREFIX: prefix,
    CAMLEDGER_STORE: 'jetstream',
    CAMLEDGER_DATA_DIR: dataDir,
    CAMLEDGER_EDGE_ADDR: '127.0.0.1:0',
    CAMLEDGER_SECRETS_KEY: `test key ${prefix}`,
    ...env,
  };
  const proc = spawnWorker({
    env: fullEnv,
    entry: launcherEntry,
    readyMessage: launcherReady,
    readyTimeoutMs: 90_000,
  });
  const nc = await connect({ servers: natsUrl });
  const dispose = async () => {
    await proc.stop();
    await deleteJetStreamNamespace(nc, prefix).catch(() => {});
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(`KV_${nonceBucketName(prefix)}`).catch(() => {});
    await nc.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await proc.ready;
  } catch (error) {
    await dispose();
    throw error;
  }
  const ready = proc.lines.find((l) => l.msg === launcherReady);
  return { proc, prefix, env: fullEnv, edgeUrl: String(ready?.edge ?? ''), nc, dispose };
}
