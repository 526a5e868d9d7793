import { upcast } from '@camledger/domain';
import type { RecordedEvent } from '@camledger/event-store';
import { handlers as allHandlers, type Handlers, type ProjectedEvent } from '../projections/index.ts';
import type { ReadStore } from '../store/port.ts';

/** The checkpoint was not where this projector left it: someone else applied meanwhile. */
export class CheckpointMoved extends Error {
  override readonly name = 'CheckpointMoved';
  constructor(readonly expected: number | null) {
    super(`the checkpoint is no longer at ${String(expected)}: another projector applied meanwhile`);
  }
}

/** A stored event as the projections read it: upcast first, as every reader of the log does. */
export function toProjected(recorded: RecordedEvent): ProjectedEvent {
  const { type, data } = upcast(recorded);
  const occurredAt = recorded.metadata.occurredAt;
  return {
    type,
    data,
    stream: recorded.stream,
    position: recorded.position,
    occurredAt: typeof occurredAt === 'string' ? occurredAt : new Date(0).toISOString(),
  };
}

export async function readCheckpoint(store: Pick<ReadStore, 'query'>): Promise<number | null> {
  const [row] = await store.query<{ position: number | null }>(
    'SELECT position FROM checkpoint WHERE id = 1',
  );
  return row?.position ?? null;
}

/**
 * The checkpoint, or 'no tables' before any projector has installed them
 * (a query server may start first): the readers' view, where that is not a
 * fault but "nothing applied yet".
 */
export async function readCheckpointIfInstalled(
  store: Pick<ReadStore, 'query'>,
): Promise<number | null | 'no tables'> {
  try {
    return await readCheckpoint(store);
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return 'no tables';
    throw error;
  }
}

/**
 * Applies `events` and moves the checkpoint to the last one's position, in one
 * transaction. A position names a whole append, so a batch must end on the
 * last event of an append (resuming after it skips the rest of the append): a crash leaves either all of it or none. The checkpoint moves
 * only from `after`, the position this projector last committed, so two
 * projectors that somehow both ran (a lock lost with its connection) cannot
 * apply one event twice: the second commit finds the checkpoint moved and
 * rolls back.
 */
export async function applyBatch(
  store: ReadStore,
  events: readonly RecordedEvent[],
  after: number | null,
  handlers: Handlers = allHandlers,
): Promise<number | null> {
  const last = events.at(-1);
  if (!last) return after;
  if (last.lastInAppend === false) throw new TypeError('a batch must end with the last event of an append');
  const to = last.position;
  await store.transaction(async (tx) => {
    for (const recorded of events) {
      const event = toProjected(recorded);
      const handle = handlers[event.type];
      if (handle) await handle(tx, event);
    }
    const moved = await tx.query(
      `UPDATE checkpoint SET position = $1, applied_at = $2
       WHERE id = 1 AND position IS NOT DISTINCT FROM $3::bigint RETURNING position`,
      [to, new Date().toISOString(), after],
    );
    if (moved.length === 0) throw new CheckpointMoved(after);
  });
  return to;
}
