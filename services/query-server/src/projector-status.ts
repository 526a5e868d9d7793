import type { EventStore } from '@camledger/event-store';
import { projectionVersion, type ReadStore } from '@camledger/read-model';
import type { NatsConnection, Service } from 'nats';

// `<prefix>.projector.status` (NATS services API, queue `<prefix>-projector`):
// what `camledger projections status` shows, answered by a projector process
// so it works with either read store (a PGlite directory is only readable by
// its owner). Lag is counted in log positions, i.e. appends (an append's
// events share one position), and in seconds: the age of the oldest event
// not applied yet.

export interface ProjectorStatus {
  readonly store: ReadStore['kind'];
  readonly projection_version: string;
  readonly applied_position: number;
  readonly head_position: number;
  readonly lag_events: number;
  readonly lag_seconds: number;
  readonly applied_at: string | null;
}

export async function projectorStatus(
  store: ReadStore,
  events: EventStore,
  now = new Date(),
): Promise<ProjectorStatus> {
  const [row] = await store
    .query<{ position: number | null; applied_at: string | null }>(
      'SELECT position, applied_at FROM checkpoint WHERE id = 1',
    )
    .catch(() => []);
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
  };
}

export async function startProjectorStatus(
  nc: NatsConnection,
  deps: { readonly prefix: string; readonly store: ReadStore; readonly events: EventStore },
): Promise<Service> {
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
      projectorStatus(deps.store, deps.events).then(
        (result) => msg.respond(JSON.stringify({ ok: true, code: 10000, result })),
        () => msg.respondError(1500, 'Generic Server Error'),
      );
    },
  });
  return service;
}
