import type { EventStore } from '@camledger/event-store';
import { openReadStore, type Projector, type ReadStore, startProjector } from '@camledger/read-model';
import {
  type ReadStoreKind,
  type TestReadStorePlace,
  testReadStorePlace,
} from '@camledger/read-model/testing';
import { type QueryServer, startQueryServer } from '../../../services/query-server/src/index.ts';
import { startTestWorker, type TestWorker } from '../../support/test-worker.ts';

// The whole read side in this process, on the real NATS server: a command
// worker (memory or JetStream store), the projector following its log into a
// read store of the test's own (PGlite directory or PostgreSQL schema) and a
// query server answering over NATS under the same prefix.

export interface ReadSide {
  readonly kind: ReadStoreKind;
  readonly tw: TestWorker;
  readonly events: EventStore;
  readonly store: ReadStore;
  readonly projector: Projector;
  readonly server: QueryServer;
  /** The last position in the log now (what a reader must wait for to see every write so far). */
  head(): Promise<number>;
  /** A query over NATS. `fresh` (default) waits for everything written so far. */
  ask(
    name: string,
    actor: string,
    payload?: Record<string, unknown>,
    options?: { fresh?: boolean },
  ): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface ReadSideOptions {
  readonly store?: 'memory' | 'jetstream';
  readonly trashRetention?: string;
  readonly clock?: () => Date;
  /** Start the query server without a projector in this process (it then only reads). */
  readonly withoutProjector?: boolean;
}

const TRASH_MS = 30 * 24 * 3600 * 1000;

/**
 * The wall clock, but never the same millisecond twice. Lists sorted by time
 * break ties by id, as the contract says; two commands a test sends within one
 * millisecond would otherwise come back in id order, not in the order sent.
 */
function risingClock(): () => Date {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last);
  };
}

export async function startReadSide(kind: ReadStoreKind, options: ReadSideOptions = {}): Promise<ReadSide> {
  const tw = await startTestWorker({
    store: options.store ?? 'memory',
    ...(options.trashRetention ? { trashRetention: options.trashRetention } : {}),
    clock: options.clock ?? risingClock(),
  });
  const place: TestReadStorePlace = await testReadStorePlace(kind, tw.prefix);
  const store = await openReadStore(place.config);
  const events = tw.worker.deps.store;
  const projector = startProjector({ events, readStore: store, retryMs: 100 });
  await projector.active;
  const server = await startQueryServer(tw.nc, {
    prefix: tw.prefix,
    store,
    trashRetentionMs: tw.worker.deps.domain.trashRetentionMs ?? TRASH_MS,
  });
  projector.onApplied((p) => server.applied.notify(p));
  const head = () => events.headPosition();
  return {
    kind,
    tw,
    events,
    store,
    projector,
    server,
    head,
    async ask(name, actor, payload = {}, { fresh = true } = {}) {
      const body = fresh ? { min_position: await head(), wait_ms: 5000, ...payload } : payload;
      const reply = await tw.nc.request(
        `${tw.prefix}.query.${name}`,
        JSON.stringify({ actor, payload: body }),
        {
          timeout: 10_000,
        },
      );
      return JSON.parse(reply.string()) as Record<string, unknown>;
    },
    async stop() {
      await server.stop();
      await projector.stop();
      await tw.stop();
      await store.close();
      await place.dispose();
    },
  };
}
