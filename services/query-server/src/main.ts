import { announce, ConfigError, createLogger, readConfig, reconnectOptions } from '@camledger/command-worker';
import { ReadConfigError, ReadStoreBusy, readReadStoreConfig } from '@camledger/read-model';
import { isReadRole, type RunningReadSide, startReadSide } from './roles.ts';

// The read side in a process of its own: the projector and/or the query
// server (CAMLEDGER_ROLES, default both) on the configuration of DOMAIN.md
// §5. A bad value, or a PGlite directory another process owns, exits 2.
const log = createLogger('camledger-read-side');

function fatal(message: string): never {
  log.fatal(message);
  process.stderr.write(`camledger: ${message}\n`);
  process.exit(2);
}

let worker: ReturnType<typeof readConfig>;
let readStore: ReturnType<typeof readReadStoreConfig>;
let reconnect: ReturnType<typeof reconnectOptions>;
try {
  worker = readConfig(process.env);
  readStore = readReadStoreConfig(process.env);
  reconnect = reconnectOptions(process.env);
} catch (error) {
  if (error instanceof ConfigError || error instanceof ReadConfigError)
    fatal(`bad configuration: ${error.message}`);
  throw error;
}
const asked = (process.env.CAMLEDGER_ROLES || 'projector,queries').split(',').map((r) => r.trim());
const roles = asked.filter(isReadRole);
// This process runs read roles only: anything else named (a typo, `commands`)
// would leave it serving nothing while it says ready.
const notRead = asked.filter((r) => !isReadRole(r));
if (notRead.length > 0 || roles.length === 0)
  fatal(
    `bad configuration: CAMLEDGER_ROLES: the read side runs projector and/or queries, not ${notRead.join(', ') || 'nothing'}`,
  );

let running: RunningReadSide | undefined;
let stopping = false;
/** A signal heard while the read side starts: acted on once it is up, so its read store is closed cleanly. */
let pendingSignal: string | undefined;
const stop = (signal: string) => {
  if (!running) {
    pendingSignal ??= signal;
    return;
  }
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping the read side');
  void running.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      log.error({ err: error }, 'error while stopping');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

try {
  running = await startReadSide({ worker, readStore, roles, log, reconnect });
} catch (error) {
  if (error instanceof ReadStoreBusy) fatal(error.message);
  // NATS or the read store unreachable: said as the worker and the launcher say it.
  log.fatal({ err: error }, 'could not start');
  process.exit(1);
}
// NATS gone for good (CAMLEDGER_NATS_MAX_RECONNECTS used up): serving nothing, exit 1 for the supervisor.
void running.nc.closed().then((error) => {
  if (stopping) return;
  log.error({ err: error ?? new Error('NATS connection closed') }, 'the read side lost NATS: exiting');
  process.exit(1);
});
announce(log, { prefix: worker.prefix, readStore: readStore.kind, roles }, 'camledger read side ready');
if (pendingSignal) stop(pendingSignal);
