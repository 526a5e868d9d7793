import { EdgeConfigError, type RunningEdge, readEdgeConfig, startEdge } from '@camledger/api-edge';
import {
  announce,
  ConfigError,
  connectNats,
  createLogger,
  readConfig,
  reconnectOptions,
  startWorker,
  untilClosed,
  type Worker,
} from '@camledger/command-worker';
import { type EventStore, memoryEventStore } from '@camledger/event-store';
import { ReadConfigError, ReadStoreBusy, readReadStoreConfig } from '@camledger/read-model';
import type { NatsConnection } from 'nats';
import { type RunningReadSide, startReadSide } from '../../query-server/src/roles.ts';
import { type Role, RolesError, readRoles } from './roles-config.ts';

// `pnpm start`: camledger in one process (DOMAIN.md §5), every role of
// CAMLEDGER_ROLES (default commands,projector,queries,edge) on the embedded
// defaults. Each role is started by its own package; this file only orders
// them: read side first (the edge's credentials come from it), then the
// command worker, then the edge, which opens the door last. It stops them in
// the reverse order: the edge, then commands and queries draining, then the
// projector, which applies what the last commands appended.

const log = createLogger('camledger');

function badConfiguration(message: string): never {
  log.fatal(`bad configuration: ${message}`);
  process.stderr.write(`camledger: bad configuration: ${message}\n`);
  process.exit(2);
}

let roles: ReadonlySet<Role>;
let worker: ReturnType<typeof readConfig>;
let reconnect: ReturnType<typeof reconnectOptions>;
let readStore: ReturnType<typeof readReadStoreConfig> | undefined;
let edgeConfig: ReturnType<typeof readEdgeConfig> | undefined;
try {
  roles = readRoles(process.env);
  worker = readConfig(process.env);
  reconnect = reconnectOptions(process.env);
  if (roles.has('projector') || roles.has('queries')) readStore = readReadStoreConfig(process.env);
  if (roles.has('edge')) edgeConfig = readEdgeConfig(process.env);
} catch (error) {
  if (
    error instanceof RolesError ||
    error instanceof ConfigError ||
    error instanceof ReadConfigError ||
    error instanceof EdgeConfigError
  )
    badConfiguration(error.message);
  throw error;
}

let commands: Worker | undefined;
let readSide: RunningReadSide | undefined;
let edge: RunningEdge | undefined;
let edgeNc: NatsConnection | undefined;
let serving = false;
let stopping = false;
/** A signal heard while the roles start: acted on once they are up (a half-started role cannot be drained). */
let pendingSignal: string | undefined;
/** Settles when a signal comes before the process serves: ends a wait that may never end by itself. */
let stopAsked: () => void = () => {};
const stopRequested = new Promise<'stop'>((resolve) => {
  stopAsked = () => resolve('stop');
});

/**
 * A memory log lives in this process only: the worker and the projector
 * must share it, or the read side projects a log of its own that nothing
 * writes. Opened here, closed last. JetStream and EventStoreDB are shared
 * through their servers, and each role opens its own connection.
 */
let sharedMemoryLog: EventStore | undefined;

/** The parts a stop is waiting on: named when it runs out of time. */
const stillStopping = new Set<string>();

/**
 * Reverse order of start; each part only if it was started, and each
 * whatever the one before it threw (a part waiting on a NATS connection that
 * is gone must not keep the read store open). Rejects with the first failure.
 */
async function stopAll(): Promise<void> {
  let first: { error: unknown } | undefined;
  const settled = async (part: string, work: () => Promise<unknown> | undefined) => {
    stillStopping.add(part);
    try {
      await work();
    } catch (error) {
      first ??= { error };
      log.warn({ part, err: error }, 'a part did not stop cleanly');
    } finally {
      stillStopping.delete(part);
    }
  };
  await settled('edge', () => edge?.close());
  await Promise.all([
    settled('commands', () => commands?.stop()),
    settled('queries', () => readSide?.stopQueries()),
  ]);
  await settled('read side', () => readSide?.stop());
  await settled('edge connection', () => {
    const nc = edgeNc;
    return nc && untilClosed(nc, () => nc.drain());
  });
  await settled('memory log', () => sharedMemoryLog?.close());
  if (first) throw first.error;
}

/**
 * How long a stop may take before the process exits 1 regardless: under a
 * supervisor's grace period (compose gives 30 s), so that what it logs is
 * its own exit and not a SIGKILL. A stop waits on NATS and the read store;
 * either may have stopped answering without closing.
 */
const stopDeadlineMs = 20_000;
/** How long the other roles get to stop once one died. */
const diedStopMs = 10_000;

/**
 * Stops every part, then exits: `code` when the stop finished, 1 when it
 * failed or ran out of `deadlineMs`. Out of time, the read store is still
 * closed if it can be (it needs no NATS), so an embedded one is kept.
 */
function stopThenExit(code: 0 | 1, deadlineMs: number): void {
  const stopped = stopAll().then(
    () => code,
    (error: unknown) => {
      log.error({ err: error }, 'error while stopping');
      return 1 as const;
    },
  );
  // Held, not unref'd: should every handle close while a step of the stop
  // still waits on a promise nothing will settle, the process would otherwise
  // end at once with exit 0, and a role that died would pass for a clean stop.
  void within(deadlineMs, stopped, { hold: true }).then(async (outcome) => {
    if (outcome === undefined) {
      log.error({ deadlineMs, waitingOn: [...stillStopping] }, 'the stop did not finish in time: exiting');
      await within(2000, readSide?.store.close().catch(() => {}) ?? Promise.resolve());
      process.exit(1);
    }
    if (outcome === 0) log.info('stopped');
    process.exit(outcome);
  });
}

function stop(signal: string): void {
  if (!serving) {
    if (pendingSignal) {
      // A start that waits on something that does not answer (a lock, a
      // stalled server) must not keep a second signal waiting too.
      log.warn({ signal }, 'second signal while starting: exiting now');
      process.exit(1);
    }
    pendingSignal = signal;
    stopAsked();
    return;
  }
  if (stopping) {
    // A stop that waits on something gone (a connection, a store) must not
    // keep a supervisor's second signal waiting too.
    log.warn({ signal }, 'signal while stopping: exiting now');
    process.exit(1);
  }
  stopping = true;
  log.info({ signal }, 'stopping: the edge, then commands and queries in flight, then the projector');
  stopThenExit(0, stopDeadlineMs);
}

/** A role that stops serving on its own takes the process down: the supervisor restarts it whole. */
function died(role: string, error: unknown): void {
  if (stopping) return;
  stopping = true;
  log.error({ role, err: error }, 'a role stopped serving: exiting');
  // The others are stopped without the connection the dead role lost.
  stopThenExit(1, diedStopMs);
}

/** `work`'s result, or undefined after `ms`; the timer keeps the process up only if asked to `hold`. */
const within = <T>(ms: number, work: Promise<T>, { hold = false } = {}): Promise<T | undefined> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    if (!hold) timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
};

/** /healthz: every role of this process serves, NATS answers a ping, the read store a query. */
async function healthy(): Promise<boolean> {
  if (!serving || stopping) return false;
  if (commands?.nc.isClosed() || readSide?.nc.isClosed()) return false;
  const natsAnswers = edgeNc
    ? await within(
        1000,
        edgeNc.rtt().then(
          () => true,
          () => false,
        ),
      )
    : true;
  if (!natsAnswers) return false;
  if (!readSide) return true;
  const storeAnswers = await within(
    2000,
    readSide.store.query('SELECT 1').then(
      () => true,
      () => false,
    ),
  );
  return storeAnswers === true;
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

try {
  if (worker.store === 'memory') sharedMemoryLog = memoryEventStore();
  const shared = sharedMemoryLog ? { events: sharedMemoryLog } : {};
  if (readStore) {
    const readRoles = (['projector', 'queries'] as const).filter((r) => roles.has(r));
    readSide = await startReadSide({
      worker,
      readStore,
      roles: readRoles,
      log: log.child({ role: 'read' }),
      reconnect,
      ...shared,
    });
    void readSide.nc
      .closed()
      .then((error) => died('read side', error ?? new Error('NATS connection closed')));
    // nats.js stops a service by itself when its subscription fails: the process would stay up answering nothing.
    void readSide.server?.service.stopped.then(
      (error) => died('queries', error ?? new Error('the query service stopped')),
      (error: unknown) => died('queries', error),
    );
    // The projector serves once it holds its lock and its tables are installed,
    // or stands by while another one applies (the other roles serve meanwhile).
    // Neither may come (the event store unreachable): a signal ends the wait.
    const projector = readSide.projector;
    if (projector) {
      const how = await Promise.race([
        projector.active.then(() => 'applying' as const),
        projector.standby.then(() => 'standby' as const),
        stopRequested,
      ]);
      if (how === 'stop') {
        stopping = true;
        log.info({ signal: pendingSignal }, 'stopped before serving');
        await stopAll().catch((error: unknown) => log.error({ err: error }, 'error while stopping'));
        process.exit(0);
      }
    }
  }
  if (roles.has('commands')) {
    commands = await startWorker(worker, { log: log.child({ role: 'commands' }), reconnect, ...shared });
    void commands.lost.then((error) => died('commands', error));
  }
  if (edgeConfig) {
    edgeNc = await connectNats(worker, { name: `${worker.prefix}-edge`, ...reconnect });
    void edgeNc.closed().then((error) => died('edge', error ?? new Error('NATS connection closed')));
    edge = await startEdge(edgeNc, edgeConfig, {
      log: log.child({ role: 'edge' }),
      healthy,
    });
  }
} catch (error) {
  // What was started is stopped here, not taken for a role dying on its own.
  stopping = true;
  if (error instanceof ReadStoreBusy) {
    log.fatal(error.message);
    process.stderr.write(`camledger: ${error.message}\n`);
    await stopAll().catch(() => {});
    process.exit(2);
  }
  log.fatal({ err: error }, 'could not start');
  await stopAll().catch(() => {});
  process.exit(1);
}

serving = true;
announce(
  log,
  {
    prefix: worker.prefix,
    roles: [...roles],
    store: worker.store,
    ...(readStore ? { readStore: readStore.kind } : {}),
    ...(edge ? { edge: edge.address, publicUrl: edge.publicUrl } : {}),
  },
  'camledger ready',
);
if (pendingSignal) stop(pendingSignal);
