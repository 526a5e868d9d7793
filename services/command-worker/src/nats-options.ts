import { type ConnectionOptions, connect, type NatsConnection } from 'nats';
import { ConfigError, type WorkerConfig } from './config.ts';

/**
 * NATS_URL may carry credentials (`nats://worker:secret@nats-1:4222`), the
 * usual way to hand them to a container. nats.js ignores credentials inside
 * server URLs, so they are lifted out into `user`/`pass` and the URLs are
 * passed on without them. All servers of one list share one user.
 */
export function natsConnectionOptions(
  servers: readonly string[],
): Pick<ConnectionOptions, 'servers' | 'user' | 'pass'> {
  let user: string | undefined;
  let pass: string | undefined;
  const bare = servers.map((server) => {
    const match = /^([a-z]+:\/\/)([^@/]*)@(.*)$/.exec(server);
    if (!match) return server;
    const [, scheme, credentials = '', rest] = match;
    const colon = credentials.indexOf(':');
    user = decodeURIComponent(colon < 0 ? credentials : credentials.slice(0, colon));
    if (colon >= 0) pass = decodeURIComponent(credentials.slice(colon + 1));
    return `${scheme}${rest}`;
  });
  return { servers: bare, ...(user !== undefined ? { user } : {}), ...(pass !== undefined ? { pass } : {}) };
}

/**
 * The one way camledger's processes (the worker, the CLI) connect to the NATS
 * servers of NATS_URL, credentials included.
 */
export const connectNats = (
  config: Pick<WorkerConfig, 'natsServers'>,
  options: Omit<ConnectionOptions, 'servers' | 'user' | 'pass'> & { readonly name: string },
): Promise<NatsConnection> =>
  connect({
    ...natsConnectionOptions(config.natsServers),
    // nats.js otherwise captures a stack trace for every request it sends
    // (profiled at ~17% of the worker's CPU); our errors carry their context.
    noAsyncTraces: true,
    ...options,
  });

/**
 * Runs a stop step that talks to NATS (a drain's unsubscribe and flush) and
 * waits for it until it ends or the connection closes for good, whichever
 * comes first. nats.js leaves such a flush waiting for an answer that a
 * closed connection never gets; once closed, the server has dropped the
 * subscriptions anyway, so there is nothing left to drain. The step is
 * started even then: what it stops locally (timers, loops) still stops.
 */
export async function untilClosed(nc: NatsConnection, step: () => Promise<unknown>): Promise<void> {
  await Promise.race([step(), nc.closed()]);
}

export type ReconnectOptions = Required<
  Pick<ConnectionOptions, 'maxReconnectAttempts' | 'reconnectTimeWait'>
>;

/** By default the worker reconnects forever: a NATS outage is waited out, not turned into a crash loop. */
export const defaultReconnect: ReconnectOptions = { maxReconnectAttempts: -1, reconnectTimeWait: 250 };

/**
 * Operational knobs outside DOMAIN.md §5 (like LOG_LEVEL): how long the
 * worker tries to get its NATS connection back before it gives up and exits
 * non-zero, so a supervisor can restart it or page someone.
 * CAMLEDGER_NATS_MAX_RECONNECTS: attempts per server, -1 (default) = forever.
 * CAMLEDGER_NATS_RECONNECT_WAIT_MS: pause between attempts on one server (250).
 */
export function reconnectOptions(env: Record<string, string | undefined>): ReconnectOptions {
  return {
    maxReconnectAttempts: wholeNumber(
      env,
      'CAMLEDGER_NATS_MAX_RECONNECTS',
      defaultReconnect.maxReconnectAttempts,
      -1,
    ),
    reconnectTimeWait: wholeNumber(
      env,
      'CAMLEDGER_NATS_RECONNECT_WAIT_MS',
      defaultReconnect.reconnectTimeWait,
      0,
    ),
  };
}

function wholeNumber(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  if (!/^-?\d{1,9}$/.test(text) || Number(text) < min)
    throw new ConfigError(name, `must be a whole number from ${min} up`);
  return Number(text);
}
