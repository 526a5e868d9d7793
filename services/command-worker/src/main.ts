import { ConfigError, readConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { reconnectOptions } from './nats-options.ts';
import { startWorker } from './worker.ts';

// `pnpm start`: one command worker on the configuration of DOMAIN.md §5.
const log = createLogger();

let config: ReturnType<typeof readConfig>;
let reconnect: ReturnType<typeof reconnectOptions>;
try {
  config = readConfig(process.env);
  reconnect = reconnectOptions(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  log.fatal({ variable: error.variable }, `bad configuration: ${error.message}`);
  process.stderr.write(`camledger: bad configuration: ${error.message}\n`);
  process.exit(2);
}

// Signals are heard from the start: the ready line is logged inside
// startWorker, and a supervisor may send SIGTERM the moment it sees it.
let stopping = false;
let started: Awaited<ReturnType<typeof startWorker>> | undefined;
/**
 * How long a drain may take before the process exits 1 regardless: under a
 * supervisor's grace period (compose gives 30 s), so that what it logs is
 * its own exit and not a SIGKILL. A drain waits on NATS, which may have
 * stopped answering without closing.
 */
const stopDeadlineMs = 20_000;
const stop = (signal: string) => {
  if (stopping) {
    // A drain, or a start, that waits on something gone must not keep a
    // supervisor's second signal waiting too.
    log.warn({ signal }, 'signal while stopping: exiting now');
    process.exit(1);
  }
  stopping = true;
  log.info({ signal }, 'draining: finishing commands in flight');
  if (!started) return; // still starting: stopped as soon as it is up (below)
  setTimeout(() => {
    log.error({ deadlineMs: stopDeadlineMs }, 'the drain did not finish in time: exiting');
    process.exit(1);
  }, stopDeadlineMs).unref();
  started.stop().then(
    () => {
      log.info('stopped');
      process.exit(0);
    },
    (error: unknown) => {
      log.error({ err: error }, 'error while stopping');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

const worker = await startWorker(config, { log, reconnect }).catch((error: unknown) => {
  log.fatal({ err: error }, 'could not start');
  process.exit(1);
});
started = worker;
if (stopping) {
  stopping = false;
  stop('signal during start');
}

// A worker whose service ended on its own serves nothing: staying up would
// hide that from the supervisor, which restarts an exited process (exit 1).
void worker.lost.then((error) => {
  if (stopping) return;
  log.error({ err: error }, 'stopped serving commands: exiting');
  process.exit(1);
});
