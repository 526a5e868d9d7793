import {
  connectNats,
  openEventStore,
  type ReconnectOptions,
  untilClosed,
  type WorkerConfig,
} from '@camledger/command-worker';
import type { EventStore } from '@camledger/event-store';
import {
  openReadStore,
  type Projector,
  type ReadStore,
  type ReadStoreConfig,
  startProjector,
} from '@camledger/read-model';
import type { NatsConnection } from 'nats';
import { startEdgeCredentialsResponder } from './edge-credentials.ts';
import { startProjectorService } from './projector-service.ts';
import { type QueryServer, startQueryServer } from './service.ts';

// The read side's roles of one process: `projector` and/or `queries`
// (CAMLEDGER_ROLES), on one read store and one NATS connection, with one
// stop. A launcher that runs every role calls this beside the worker.

export type ReadRole = 'projector' | 'queries';

export interface ReadSideLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RunningReadSide {
  /** The read side's own NATS connection (closed for good: the read side serves nothing). */
  readonly nc: NatsConnection;
  readonly store: ReadStore;
  readonly projector?: Projector;
  readonly server?: QueryServer;
  /** Stops answering queries (and the edge's credential look-ups), letting those in flight answer; the projector goes on. */
  stopQueries(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether a role named in CAMLEDGER_ROLES is one of the read side's (others, such as `commands`, are not). */
export const isReadRole = (role: string): role is ReadRole => role === 'projector' || role === 'queries';

/** The read roles named in a CAMLEDGER_ROLES value. */
export const readRolesOf = (roles: string): ReadRole[] =>
  roles
    .split(',')
    .map((r) => r.trim())
    .filter(isReadRole);

export async function startReadSide(options: {
  readonly worker: WorkerConfig;
  readonly readStore: ReadStoreConfig;
  readonly roles: readonly ReadRole[];
  readonly log: ReadSideLog;
  /** The log to project, opened by the caller and left open at stop (a memory log shared in one process). */
  readonly events?: EventStore;
  /** How hard to hold on to NATS (CAMLEDGER_NATS_MAX_RECONNECTS, …); forever by default. */
  readonly reconnect?: ReconnectOptions;
}): Promise<RunningReadSide> {
  const { worker, roles, log } = options;
  const ownsEvents = options.events === undefined;
  // Throws ReadStoreBusy when another process owns the PGlite directory: the caller exits 2.
  const store = await openReadStore(options.readStore);
  let nc: NatsConnection | undefined;
  let events: EventStore | undefined;
  try {
    nc = await connectNats(worker, {
      name: `${worker.prefix}-read-side`,
      ...(options.reconnect ?? { maxReconnectAttempts: -1 }),
    });
    if (roles.includes('projector')) events = options.events ?? (await openEventStore(worker, nc));
    const projector = events ? startProjector({ events, readStore: store, log }) : undefined;
    const server = roles.includes('queries')
      ? await startQueryServer(nc, {
          prefix: worker.prefix,
          store,
          trashRetentionMs: worker.trashRetentionMs,
          log,
        })
      : undefined;
    if (projector && server) projector.onApplied((position) => server.applied.notify(position));
    const credentials = server
      ? startEdgeCredentialsResponder(nc, { prefix: worker.prefix, store, log })
      : undefined;
    const status =
      events && projector
        ? await startProjectorService(nc, { prefix: worker.prefix, store, events, projector, log })
        : undefined;
    const connection = nc;
    let queriesStopped: Promise<void> | undefined;
    const stopQueries = () => {
      queriesStopped ??= untilClosed(connection, async () => {
        await credentials?.stop();
        await server?.stop();
      });
      return queriesStopped;
    };
    return {
      nc: connection,
      store,
      ...(projector ? { projector } : {}),
      ...(server ? { server } : {}),
      stopQueries,
      async stop() {
        // Every part is stopped, whatever an earlier one threw: above all the
        // read store, which needs no NATS to close. An embedded store left
        // open is rebuilt from the whole log at the next start.
        const failed: unknown[] = [];
        const settled = async (work: () => Promise<unknown> | undefined) => {
          try {
            await work();
          } catch (error) {
            failed.push(error);
          }
        };
        await settled(() => status && untilClosed(connection, () => status.stop()));
        await settled(stopQueries);
        await settled(() => projector?.stop());
        if (ownsEvents) await settled(() => events?.close());
        await settled(() => store.close());
        await settled(() => untilClosed(connection, () => connection.drain()));
        if (failed.length > 0) throw failed[0];
      },
    };
  } catch (error) {
    if (ownsEvents) await events?.close().catch(() => {});
    await nc?.close().catch(() => {});
    await store.close();
    throw error;
  }
}
