import type { ProjectorStatus } from '@camledger/domain';
import type { EventStore } from '@camledger/event-store';
import { type Projector, projectionVersion, type ReadStore } from '@camledger/read-model';
import type { NatsConnection, Service } from 'nats';
import { respondSafely } from './respond.ts';
import { type QueryServerLog, silent } from './service.ts';

// The projector's own service (NATS services API, queue `<prefix>-projector`),
// answered by projector processes so the CLI works with either read store (a
// PGlite directory is only readable by its owner):
// - `<prefix>.projector.status`: what `camledger projections status` shows;
// - `<prefix>.projector.rebuild`: rebuild into a shadow copy and swap it in,
//   answered when done. A standby projector (waiting for the lock) answers
//   1500 with "not the one applying"; the caller asks again. Lag is counted in log positions, i.e. appends (an append's
// events share one position), and in seconds: the age of the oldest event
// not applied yet.

export async function projectorStatus(
  store: ReadStore,
  events: EventStore,
  projector?: Pick<Projector, 'rebuilding'>,
  now = new Date(),
): Promise<ProjectorStatus> {
  const [row] = await store
    .query<{ position: number | null; applied_at: string | null }>(
      'SELECT position, applied_at FROM checkpoint WHERE id = 1',
    )
    // No tables yet is nothing applied; any other failure (the database
    // down) is an error to report, not a projector that lost everything.
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === '42P01') return [];
      throw error;
    });
  const applied = row?.position ?? 0;
  const head = await events.headPosition();
  let lagSeconds = 0;
  if (head > applied)
    for await (const oldest of events.readAll({ from: applied })) {
      const at = Date.parse(String(oldest.metadata.occurredAt));
      if (Number.isFinite(at)) lagSeconds = Math.max(0, (now.getTime() - at) / 1000);
      break;
    }
  return {
    store: store.kind,
    projection_version: projectionVersion,
    applied_position: applied,
    head_position: head,
    lag_events: Math.max(0, head - applied),
    lag_seconds: Math.round(lagSeconds * 1000) / 1000,
    applied_at: row?.applied_at ?? null,
    rebuild: projector?.rebuilding
      ? { position: projector.rebuilding.position ?? 0, goal: projector.rebuilding.goal }
      : null,
  };
}

export async function startProjectorService(
  nc: NatsConnection,
  deps: {
    readonly prefix: string;
    readonly store: ReadStore;
    readonly events: EventStore;
    readonly projector?: Projector;
    readonly log?: QueryServerLog;
  },
): Promise<Service> {
  const log = deps.log ?? silent;
  const service = await nc.services.add({
    name: 'camledger-projector',
    version: '0.1.0',
    description: 'camledger projector: status of the projections',
    queue: `${deps.prefix}-projector`,
    metadata: { prefix: deps.prefix },
  });
  service.addEndpoint('status', {
    subject: `${deps.prefix}.projector.status`,
    handler: (_error, msg) => {
      projectorStatus(deps.store, deps.events, deps.projector).then(
        (result) =>
          respondSafely(msg, log, (to) => to.respond(JSON.stringify({ ok: true, code: 10000, result }))),
        () => respondSafely(msg, log, () => msg.respondError(1500, 'Generic Server Error')),
      );
    },
  });
  service.addEndpoint('rebuild', {
    subject: `${deps.prefix}.projector.rebuild`,
    handler: (_error, msg) => {
      const projector = deps.projector;
      if (!projector) return respondSafely(msg, log, () => msg.respondError(1500, 'not a projector'));
      projector.rebuild().then(
        ({ position }) =>
          respondSafely(msg, log, (to) =>
            to.respond(
              JSON.stringify({ ok: true, code: 10000, result: { applied_position: position ?? 0 } }),
            ),
          ),
        (error: unknown) =>
          respondSafely(msg, log, () =>
            msg.respondError(1500, error instanceof Error ? error.message : 'rebuild failed'),
          ),
      );
    },
  });
  return service;
}
