// The EventStoreDB adapter: the port maps almost one to one onto the client;
// what is left is spelling (revisions are bigints, positions the commit
// position) and hiding system events from global reads.
import { randomUUID } from 'node:crypto';
import {
  ANY,
  type AppendExpectedRevision,
  BACKWARDS,
  type Position as DbPosition,
  type ResolvedEvent as DbResolvedEvent,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  type JSONType,
  jsonEvent,
  MaxAppendSizeExceededError,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  PayloadTooLarge,
  type Position,
  type RecordedEvent,
  type Subscription,
  WrongExpectedRevision,
} from '../port.ts';
import {
  assertPosition,
  assertValidAppend,
  followThrough,
  Mailbox,
  normaliseExpected,
  OpenFollowings,
  sameIds,
  serializedEvents,
  utf8Length,
} from '../shared.ts';
import { AppendGatherer, gatherAppends } from './appends.ts';

/**
 * An event's commit position. EventStoreDB gives each event of an append its
 * own; readers get the append's (its last event's) through AppendGatherer.
 * It is a byte
 * offset in the server's log; a log past 2^53 bytes (8 PiB) is refused loudly
 * rather than given positions that would compare wrongly.
 */
const toPosition = (p: DbPosition): Position => {
  const n = Number(p.commit);
  if (!Number.isSafeInteger(n)) throw new RangeError(`commit position ${p.commit} is beyond 2^53`);
  return n;
};
/** Where a read after `p` starts: the server starts there inclusive, so the reader skips `p` itself. */
const fromPosition = (p: Position): DbPosition => {
  const commit = BigInt(assertPosition(p));
  return { commit, prepare: commit };
};

/**
 * Marks each event of an append, in its stored metadata, with whether it is
 * the append's last, so a reader of $all knows where an append ends (the
 * server says nothing of it); removed again when the event is read.
 */
const LAST = '$camledgerLastInAppend';
const LOG_ID_STREAM = 'camledger_log-id';

const toDbExpected = (expected: ExpectedRevision): AppendExpectedRevision => {
  const e = normaliseExpected(expected);
  if (e === 'any') return ANY;
  if (e === 'no_stream') return NO_STREAM;
  if (e === 'exists') return STREAM_EXISTS;
  return BigInt(e);
};

/**
 * System streams and events, and camledger's own bookkeeping streams (the log
 * id, replies, checkpoints, parked work: all named `camledger_…`), are not part
 * of the log readers see.
 */
export const isSystem = (streamId: string, type: string): boolean =>
  streamId.startsWith('$') || type.startsWith('$') || streamId.startsWith('camledger_');

type DbEvent = NonNullable<DbResolvedEvent['event']>;

export const toRecorded = (e: DbEvent, fallback?: DbPosition): RecordedEvent => {
  const position = e.position ?? fallback;
  const { [LAST]: last, ...metadata } = (e.metadata ?? {}) as Record<string, unknown>;
  return {
    id: e.id,
    stream: e.streamId,
    revision: Number(e.revision),
    position: position ? toPosition(position) : 0,
    type: e.type,
    data: e.data,
    metadata,
    // Every event of ours carries the marker (in earlier releases only the last
    // did, so an unmarked one of ours is inside an append). An event with no
    // marker and none of our metadata was written by someone else, one at a
    // time: read as whole (the port's rule for a missing flag), or it would
    // be glued to the next.
    lastInAppend: last === true || (last === undefined && metadata.commandId === undefined),
  };
};

/** EventStoreDB did not answer the first read of a process: it cannot serve, and says so at start. */
export class EventStoreDbUnreachable extends Error {
  override readonly name = 'EventStoreDbUnreachable';
}

/**
 * Opens the store and reads once (a stream nobody writes) before handing it
 * out. The client connects lazily and a projector retries for ever, so
 * without this read a process pointed at a server that is down, or at the
 * wrong address, would wait silently instead of failing its start.
 */
export async function connectEventStoreDb(
  connectionString: string,
  options: { readonly answerWithinMs?: number } = {},
): Promise<EventStore> {
  const client = EventStoreDBClient.connectionString(connectionString);
  const answerWithinMs = options.answerWithinMs ?? 10_000;
  try {
    await firstRead(client, answerWithinMs);
  } catch (error) {
    await client.dispose().catch(() => {});
    // The connection string is not repeated: it may carry a password.
    const why = error instanceof Error ? error.message : String(error);
    throw new EventStoreDbUnreachable(`EventStoreDB did not answer a first read: ${why}`, { cause: error });
  }
  return eventStoreDbStore(client, { ownsClient: true });
}

async function firstRead(client: EventStoreDBClient, withinMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const read = (async () => {
    try {
      for await (const _ of client.readStream('camledger-probe', { maxCount: 1, deadline: withinMs })) break;
    } catch (e) {
      if (!(e instanceof StreamNotFoundError)) throw e;
    }
  })();
  // The deadline covers the call; the race also covers a connection that never completes.
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${withinMs} ms`)), withinMs);
  });
  try {
    await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
    read.catch(() => {});
  }
}

export function eventStoreDbStore(client: EventStoreDBClient, options: { ownsClient: boolean }): EventStore {
  const subscriptions = new Set<Subscription>();
  const followings = new OpenFollowings();

  const readStream = async (stream: string, opts: { readonly fromRevision?: number } = {}) => {
    const out: RecordedEvent[] = [];
    // The revisions at least fromRevision (the port's rule): none for NaN,
    // the next whole one for a fraction, which BigInt would refuse.
    const from = opts.fromRevision ?? 0;
    if (Number.isNaN(from)) return out;
    try {
      for await (const resolved of client.readStream(stream, {
        fromRevision: BigInt(Math.max(0, Math.ceil(from))),
        direction: FORWARDS,
      })) {
        if (resolved.event) out.push(toRecorded(resolved.event, positionOf(resolved)));
      }
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    }
    return gatherAppends(out);
  };

  /** The position of the event at `revision`, read back because an append's result carries only the commit's. */
  const resultAt = async (stream: string, revision: number): Promise<AppendResult> => {
    const [last] = await readStream(stream, { fromRevision: revision });
    return { revision, position: last?.position ?? 0 };
  };

  const append = async (
    stream: string,
    events: readonly EventToAppend[],
    // EventStoreDB has no log-wide key memory: `key` is ignored, and the worker records keys in the reply log.
    { expectedRevision }: AppendOptions,
  ): Promise<AppendResult> => {
    assertValidAppend(stream, events);
    try {
      const result = await client.appendToStream(
        stream,
        events.map((e, i) =>
          // The caller's ids go to the server, whose own idempotence then recognises a retry.
          jsonEvent({
            id: e.id,
            type: e.type,
            data: e.data as JSONType,
            metadata: { ...e.metadata, [LAST]: i === events.length - 1 } as JSONType,
          }),
        ),
        { expectedRevision: toDbExpected(expectedRevision) },
      );
      return resultAt(stream, Number(result.nextExpectedRevision));
    } catch (e) {
      if (e instanceof MaxAppendSizeExceededError) {
        const bytes = utf8Length(serializedEvents(events));
        throw new PayloadTooLarge(stream, Math.max(bytes, e.maxAppendSize + 1), e.maxAppendSize);
      }
      if (e instanceof WrongExpectedVersionError) {
        const actual = e.actualVersion === NO_STREAM ? -1 : Number(e.actualVersion);
        // The server's idempotence covers recent retries; this covers a late one at an exact revision.
        const exp = normaliseExpected(expectedRevision);
        const from = exp === 'no_stream' ? 0 : typeof exp === 'number' ? exp + 1 : undefined;
        if (from !== undefined && from <= actual) {
          const recorded = (await readStream(stream, { fromRevision: from })).slice(0, events.length);
          const last = recorded[recorded.length - 1];
          if (last && sameIds(recorded, events)) return { revision: last.revision, position: last.position };
        }
        throw new WrongExpectedRevision(stream, expectedRevision, actual);
      }
      throw e;
    }
  };

  /**
   * The id of this log: a random id written once, as the first event of a
   * marker stream, by whichever process asks first (the server has no id of
   * its own that survives a restore the way a log's content does).
   */
  let id: Promise<string> | undefined;
  const readLogId = async (): Promise<string | undefined> => {
    try {
      for await (const resolved of client.readStream(LOG_ID_STREAM, { maxCount: 1 })) {
        const stored = (resolved.event?.data as { id?: unknown } | undefined)?.id;
        if (typeof stored === 'string') return `eventstoredb:${stored}`;
      }
      return undefined;
    } catch (e) {
      if (e instanceof StreamNotFoundError) return undefined;
      throw e;
    }
  };
  const logId = (): Promise<string> => {
    id ??= (async () => {
      const known = await readLogId();
      if (known) return known;
      try {
        await client.appendToStream(
          LOG_ID_STREAM,
          jsonEvent({ type: 'LogCreated', data: { id: randomUUID() } }),
          {
            expectedRevision: NO_STREAM,
          },
        );
      } catch (e) {
        if (!(e instanceof WrongExpectedVersionError)) throw e;
      }
      // Whoever won the race to create it, the first event is the id.
      const created = await readLogId();
      if (!created) throw new Error('EventStoreDB: the log id could not be read back');
      return created;
    })().catch((e: unknown) => {
      id = undefined;
      throw e;
    });
    return id;
  };

  const store: EventStore = {
    append,
    readStream,
    async *readAll(opts = {}) {
      // Checked even when it is 0 or NaN (falsy): a position that is not one is refused, not read as the start.
      const after = opts.from;
      const read = client.readAll({
        fromPosition: after !== undefined ? fromPosition(after) : START,
        direction: FORWARDS,
      });
      const gatherer = new AppendGatherer();
      try {
        for await (const resolved of read) {
          const e = resolved.event;
          if (!e || isSystem(e.streamId, e.type)) continue;
          // The server starts at `from` inclusive; the port starts strictly after it.
          for (const { recorded } of gatherer.add(toRecorded(e), undefined) ?? [])
            if (after === undefined || recorded.position > after) yield recorded;
        }
        for (const { recorded } of gatherer.rest()) yield recorded;
      } finally {
        // A reader that stops early leaves the gRPC call open unless it is cancelled.
        await read.cancel().catch(() => undefined);
      }
    },
    subscribeAll(opts = {}) {
      const after = opts.from;
      const box = new Mailbox<RecordedEvent>();
      const gatherer = new AppendGatherer();
      const sub = client.subscribeToAll({
        fromPosition: opts.fromEnd ? END : after !== undefined ? fromPosition(after) : START,
        filter: excludeSystemEvents(),
      });
      sub.on('data', (resolved) => {
        const e = resolved.event;
        if (!e || isSystem(e.streamId, e.type)) return;
        for (const { recorded } of gatherer.add(toRecorded(e), undefined) ?? [])
          if (after === undefined || recorded.position > after) box.push(recorded);
        if (box.full) {
          // Backpressure: let gRPC hold the rest until the subscriber catches up.
          sub.pause();
          void box.room().then(() => sub.resume());
        }
      });
      sub.on('error', (error: Error) => box.end(error));
      sub.on('end', () => box.end());
      const subscription: Subscription = {
        [Symbol.asyncIterator]: () => box.drain(),
        close: async () => {
          subscriptions.delete(subscription);
          box.end();
          await sub.unsubscribe();
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },
    async headPosition() {
      // The last event of the log that is not the server's own: the last of
      // its append, so its position is the append's. The read is cancelled
      // once it is found (it would otherwise stay open on the server).
      const read = client.readAll({ direction: BACKWARDS, fromPosition: END });
      try {
        for await (const resolved of read) {
          const e = resolved.event;
          if (e && !isSystem(e.streamId, e.type)) return toRecorded(e).position;
        }
      } finally {
        await read.cancel().catch(() => undefined);
      }
      return 0;
    },
    // gRPC hands events over one by one: no connection order to keep here.
    followAppends: (onAppend) =>
      followings.track(followThrough(store.subscribeAll({ fromEnd: true }), onAppend)),
    logId,
    async close() {
      await followings.closeAll();
      await Promise.all([...subscriptions].map((s) => s.close()));
      if (options.ownsClient) await client.dispose();
    },
  };
  return store;
}

const positionOf = (resolved: DbResolvedEvent): DbPosition | undefined =>
  resolved.commitPosition !== undefined
    ? { commit: resolved.commitPosition, prepare: resolved.commitPosition }
    : undefined;
