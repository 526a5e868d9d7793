import { connectNats, natsConnectionOptions, type WorkerConfig } from '@camledger/command-worker';
import type { NatsConnection } from 'nats';
import { NoConnection } from './output.ts';

// The CLI reaches NATS through the worker's own opener, so NATS_URL means the
// same to both (credentials in the URL included). Errors name the servers
// (without their credentials) and the prefix, the two things to check.

/** The servers of the configuration as they may be printed: credentials left out. */
export const shownServers = (config: Pick<WorkerConfig, 'natsServers'>): string =>
  [natsConnectionOptions(config.natsServers).servers ?? []].flat().join(',');

export async function openNats(config: WorkerConfig): Promise<NatsConnection> {
  try {
    return await connectNats(config, {
      name: `${config.prefix}-cli`,
      // A command line fails fast: no waiting for a server that is not there.
      maxReconnectAttempts: 0,
      timeout: 5_000,
    });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    throw new NoConnection(
      `cannot connect to NATS at ${shownServers(config)} (CAMLEDGER_PREFIX=${config.prefix}): ${e.code ?? e.message ?? String(error)}`,
    );
  }
}
