import { createRuntimeDeps } from '@camledger/runtime';
import type { NatsConnection } from 'nats';
import type { WorkerConfig } from './config.ts';
import type { WorkerDeps } from './deps.ts';
import { createLogger, type Logger } from './logger.ts';
import { connectNats, defaultReconnect, type ReconnectOptions } from './nats-options.ts';
import { startFollowUpReactor } from './reactor.ts';
import { startService } from './service.ts';
import { openStores } from './stores.ts';

export interface Worker {
  readonly nc: NatsConnection;
  readonly deps: WorkerDeps;
  /**
   * Resolves if the worker stopped serving without `stop()` being asked: the
   * NATS connection closed for good (reconnect attempts used up) or the
   * service's subscriptions ended. Never resolves after `stop()`.
   */
  readonly lost: Promise<Error>;
  /** Stop taking commands, finish those in flight, close the store and the connection. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  readonly log?: Logger;
  readonly clock?: () => Date;
  /** Memory the state cache may take (bytes). */
  readonly cacheBytes?: number;
  /** How hard to hold on to NATS; forever by default. */
  readonly reconnect?: ReconnectOptions;
}

/** Connects, opens the configured store and serves until stopped. */
export async function startWorker(config: WorkerConfig, options: WorkerOptions = {}): Promise<Worker> {
  const log = options.log ?? createLogger();
  const nc = await connectNats(config, {
    name: `${config.prefix}-command-worker`,
    ...(options.reconnect ?? defaultReconnect),
  });
  const stores = await openStores(config, nc);
  const deps: WorkerDeps = {
    ...createRuntimeDeps({
      store: stores.events,
      replies: stores.replies,
      domain: { trashRetentionMs: config.trashRetentionMs },
      log,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.cacheBytes ? { cache: { maxBytes: options.cacheBytes } } : {}),
    }),
    prefix: config.prefix,
    log,
  };
  const reactor = await startFollowUpReactor(deps, stores.checkpoints);
  const running = await startService(nc, deps);
  void watchConnection(nc, log);
  log.info(
    { prefix: config.prefix, store: config.store, servers: config.natsServers },
    'camledger command worker ready',
  );
  return {
    nc,
    deps,
    lost: running.lost,
    async stop() {
      await running.drain();
      await reactor.stop();
      await stores.checkpoints.close();
      await stores.replies.close();
      await stores.events.close();
      await nc.drain();
    },
  };
}

async function watchConnection(nc: NatsConnection, log: Logger): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === 'reconnect') log.info({ server: status.data }, 'reconnected to NATS');
    else if (status.type === 'disconnect') log.warn({ server: status.data }, 'disconnected from NATS');
  }
}
