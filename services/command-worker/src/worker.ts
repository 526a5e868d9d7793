import type { EventStore } from '@camledger/event-store';
import { createRuntimeDeps, type Faults } from '@camledger/runtime';
import { type NatsConnection, RequestStrategy } from 'nats';
import type { WorkerConfig } from './config.ts';
import type { WorkerDeps } from './deps.ts';
import { type FollowUpQueueOptions, logParkedByQueue, startFollowUpQueue } from './follow-up-queue.ts';
import { startLogFollower } from './log-follower.ts';
import { announce, createLogger, type Logger } from './logger.ts';
import { connectNats, defaultReconnect, type ReconnectOptions, untilClosed } from './nats-options.ts';
import { serviceNameFor, startService } from './service.ts';
import { type FollowUpQueueSettings, openStores } from './stores.ts';

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
  /** The durable follow-up queue's waits and attempts (tests shorten them). */
  readonly followUps?: FollowUpQueueSettings & Omit<FollowUpQueueOptions, 'maxAttempts'>;
  /** How often the worker asks whether others serve its prefix, to follow the log while they do (default 2 s). */
  readonly followCheckEveryMs?: number;
  /** Points where a test makes the command path fail (a store refusing a write, a crash). */
  readonly faults?: Faults;
  /**
   * The event store, opened by the caller and left open at stop: the
   * one-process launcher shares its memory log with the read side, which
   * would otherwise project a log of its own, empty for ever.
   */
  readonly events?: EventStore;
}

/** Connects, opens the configured store and serves until stopped. */
export async function startWorker(config: WorkerConfig, options: WorkerOptions = {}): Promise<Worker> {
  const log = options.log ?? createLogger();
  const nc = await connectNats(config, {
    name: `${config.prefix}-command-worker`,
    ...(options.reconnect ?? defaultReconnect),
  });
  const { concurrency, backoff, resumeAfterMs, ...queueSettings } = options.followUps ?? {};
  const stores = await openStores(config, nc, options.events, {
    onParked: logParkedByQueue(log),
    ...queueSettings,
  });
  const deps: WorkerDeps = {
    ...createRuntimeDeps({
      store: stores.events,
      replies: stores.replies,
      domain: { trashRetentionMs: config.trashRetentionMs },
      log,
      ...(options.clock ? { clock: options.clock } : {}),
      // Memory is trusted for the stream a command writes (its append's
      // expected revision refuses a stale state); everything else is read
      // afresh before it counts (docs/architecture.md, "Exactly-once").
      cache: { revalidate: 'on-demand', ...(options.cacheBytes ? { maxBytes: options.cacheBytes } : {}) },
      ...(options.faults ? { faults: options.faults } : {}),
    }),
    prefix: config.prefix,
    log,
  };
  const followUps = startFollowUpQueue(deps, stores.followUps, {
    ...(concurrency ? { concurrency } : {}),
    ...(backoff ? { backoff } : {}),
    ...(resumeAfterMs ? { resumeAfterMs } : {}),
    ...(queueSettings.maxAttempts ? { maxAttempts: queueSettings.maxAttempts } : {}),
  });
  const running = await startService(nc, deps);
  const follower = startLogFollower({
    store: stores.events,
    cache: deps.cache,
    hotStreams: deps.hotStreams,
    othersServing: () => othersServe(nc, config.prefix, running.service.info().id),
    log,
    ...(options.followCheckEveryMs ? { checkEveryMs: options.followCheckEveryMs } : {}),
  });
  void watchConnection(nc, log);
  announce(
    log,
    { prefix: config.prefix, store: config.store, servers: config.natsServers },
    'camledger command worker ready',
  );
  return {
    nc,
    deps,
    lost: running.lost,
    async stop() {
      // Each step may talk to NATS (JetStream stores close their consumers
      // and watchers): once the connection is closed for good, what is left
      // has nothing to say goodbye to, and waiting would hang the stop.
      await untilClosed(nc, () => running.drain());
      await untilClosed(nc, () => follower.stop());
      await untilClosed(nc, () => followUps.stop());
      await untilClosed(nc, () => stores.followUps.close());
      await untilClosed(nc, () => stores.replies.close());
      if (!options.events) await untilClosed(nc, () => stores.events.close());
      await untilClosed(nc, () => nc.drain());
    },
  };
}

/** Whether a worker other than `self` answers the services API ping of this prefix's service. */
async function othersServe(nc: NatsConnection, prefix: string, self: string): Promise<boolean> {
  const answers = await nc.services
    .client({ strategy: RequestStrategy.Timer, maxWait: 500 })
    .ping(serviceNameFor(prefix));
  let others = false;
  for await (const answer of answers) if (answer.id !== self) others = true;
  return others;
}

async function watchConnection(nc: NatsConnection, log: Logger): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === 'reconnect') log.info({ server: status.data }, 'reconnected to NATS');
    else if (status.type === 'disconnect') log.warn({ server: status.data }, 'disconnected from NATS');
  }
}
