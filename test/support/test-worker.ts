import { randomBytes } from 'node:crypto';
import { type CamledgerClient, createClient } from '@camledger/client';
import { readConfig, startWorker, type Worker, type WorkerOptions } from '@camledger/command-worker';
import { connectJetStreamStore, deleteJetStreamNamespace, type EventStore } from '@camledger/event-store';
import { connect, type NatsConnection } from 'nats';
import { pino } from 'pino';

export const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A prefix no other test run uses, so runs on one server never see each other. */
export const uniquePrefix = (tag = 't') => `${tag}${randomBytes(5).toString('hex')}`;

/** The workers' logger in tests: silent unless TEST_LOG_LEVEL asks. */
export const quietLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A worker in this process on the JetStream store of `prefix`, for tests where several share one namespace. */
export const jetStreamWorkerOn = (prefix: string, options: WorkerOptions = {}): Promise<Worker> =>
  startWorker(readConfig({ NATS_URL: natsUrl, CAMLEDGER_PREFIX: prefix, CAMLEDGER_STORE: 'jetstream' }), {
    log: quietLog,
    ...options,
  });

export interface TestWorker {
  readonly prefix: string;
  readonly worker: Worker;
  readonly nc: NatsConnection;
  readonly client: CamledgerClient;
  /** Sends a raw body on a subject under this prefix and parses the reply. */
  raw(subject: string, body: string | Uint8Array): Promise<Record<string, unknown>>;
  /**
   * A JetStream store of the test's own on this prefix, to read back what the
   * worker wrote as any reader would (a `jetstream` worker only); one per
   * test worker, closed by stop().
   */
  readBack(): Promise<EventStore>;
  /** Stops the worker only (idempotent): for tests where several workers share one namespace. */
  stopWorker(): Promise<void>;
  /** Stops the worker, deletes its JetStream namespace and closes the test's connection. */
  stop(): Promise<void>;
}

export interface TestWorkerOptions {
  readonly store?: 'memory' | 'jetstream';
  readonly prefix?: string;
  readonly trashRetention?: string;
  readonly clock?: () => Date;
}

/** A real worker, in this process, on the real NATS server, under a prefix of its own. */
export async function startTestWorker(options: TestWorkerOptions = {}): Promise<TestWorker> {
  const prefix = options.prefix ?? uniquePrefix();
  const store = options.store ?? 'memory';
  const config = readConfig({
    NATS_URL: natsUrl,
    CAMLEDGER_PREFIX: prefix,
    CAMLEDGER_STORE: store,
    CAMLEDGER_TRASH_RETENTION: options.trashRetention,
  });
  const worker = await startWorker(config, {
    log: quietLog,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const nc = await connect({ servers: natsUrl });
  const client = createClient(nc, { prefix, timeoutMs: 10_000, retries: 0 });
  let reader: Promise<EventStore> | undefined;
  let stopping: Promise<void> | undefined;
  const stopWorker = () => {
    stopping ??= worker.stop();
    return stopping;
  };
  return {
    prefix,
    worker,
    nc,
    client,
    async raw(subject, body) {
      const reply = await nc.request(`${prefix}.${subject}`, body, { timeout: 10_000 });
      return JSON.parse(reply.string()) as Record<string, unknown>;
    },
    readBack() {
      if (store !== 'jetstream') throw new Error('readBack needs a worker on the jetstream store');
      reader ??= connectJetStreamStore(nc, { prefix, replicas: 1 });
      return reader;
    },
    stopWorker,
    async stop() {
      await (await reader?.catch(() => undefined))?.close();
      await stopWorker();
      if (store === 'jetstream') await deleteJetStreamNamespace(nc, prefix);
      await nc.close();
    },
  };
}
