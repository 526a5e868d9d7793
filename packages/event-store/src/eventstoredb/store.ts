// The EventStoreDB adapter: the port maps almost one to one onto the client;
// what is left is spelling (revisions are bigints, positions a commit/prepare
// pair) and hiding system events from global reads.
import {
  ANY,
  type AppendExpectedRevision,
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
  assertValidAppend,
  Mailbox,
  normaliseExpected,
  pad,
  sameIds,
  serializedEvents,
  utf8Length,
} from '../shared.ts';

/** `<commit, 20 digits>/<prepare, 20 digits>`: fixed width, so string order is log order. */
const toPosition = (p: DbPosition): Position => `${pad(p.commit, 20)}/${pad(p.prepare, 20)}`;
const fromPosition = (p: Position): DbPosition => {
  const [commit, prepare] = p.split('/');
  if (!commit || !prepare) throw new TypeError(`not an EventStoreDB position: ${p}`);
  return { commit: BigInt(commit), prepare: BigInt(prepare) };
};

const toDbExpected = (expected: ExpectedRevision): AppendExpectedRevision => {
  const e = normaliseExpected(expected);
  if (e === 'any') return ANY;
  if (e === 'no_stream') return NO_STREAM;
  if (e === 'exists') return STREAM_EXISTS;
  return BigInt(e);
};

const isSystem = (streamId: string, type: string): boolean =>
  streamId.startsWith('$') || type.startsWith('$');

type DbEvent = NonNullable<DbResolvedEvent['event']>;

const toRecorded = (e: DbEvent, fallback?: DbPosition): RecordedEvent => {
  const position = e.position ?? fallback;
  return {
    id: e.id,
    stream: e.streamId,
    revision: Number(e.revision),
    position: position ? toPosition(position) : '',
    type: e.type,
    data: e.data,
    metadata: (e.metadata ?? {}) as Record<string, unknown>,
  };
};

export async function connectEventStoreDb(connectionString: string): Promise<EventStore> {
  return eventStoreDbStore(EventStoreDBClient.connectionString(connectionString), { ownsClient: true });
}

export function eventStoreDbStore(client: EventStoreDBClient, options: { ownsClient: boolean }): EventStore {
  const subscriptions = new Set<Subscription>();

  const readStream = async (stream: string, opts: { readonly fromRevision?: number } = {}) => {
    const out: RecordedEvent[] = [];
    try {
      for await (const resolved of client.readStream(stream, {
        fromRevision: BigInt(opts.fromRevision ?? 0),
        direction: FORWARDS,
      })) {
        if (resolved.event) out.push(toRecorded(resolved.event, positionOf(resolved)));
      }
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    }
    return out;
  };

  /** The position of the event at `revision`, read back because an append's result carries only the commit's. */
  const resultAt = async (stream: string, revision: number): Promise<AppendResult> => {
    const [last] = await readStream(stream, { fromRevision: revision });
    return { revision, position: last?.position ?? '' };
  };

  const append = async (
    stream: string,
    events: readonly EventToAppend[],
    { expectedRevision }: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> => {
    assertValidAppend(stream, events);
    try {
      const result = await client.appendToStream(
        stream,
        events.map((e) =>
          // The caller's ids go to the server, whose own idempotence then recognises a retry.
          jsonEvent({ id: e.id, type: e.type, data: e.data as JSONType, metadata: e.metadata as JSONType }),
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

  return {
    append,
    readStream,
    async *readAll(opts = {}) {
      const after = opts.from;
      for await (const resolved of client.readAll({
        fromPosition: after ? fromPosition(after) : START,
        direction: FORWARDS,
      })) {
        const e = resolved.event;
        if (!e || isSystem(e.streamId, e.type)) continue;
        const recorded = toRecorded(e);
        // The server starts at `from` inclusive; the port starts strictly after it.
        if (after !== undefined && recorded.position <= after) continue;
        yield recorded;
      }
    },
    subscribeAll(opts = {}) {
      const after = opts.from;
      const box = new Mailbox<RecordedEvent>();
      const sub = client.subscribeToAll({
        fromPosition: opts.fromEnd ? END : after ? fromPosition(after) : START,
        filter: excludeSystemEvents(),
      });
      sub.on('data', (resolved) => {
        const e = resolved.event;
        if (!e || isSystem(e.streamId, e.type)) return;
        const recorded = toRecorded(e);
        if (after !== undefined && recorded.position <= after) return;
        box.push(recorded);
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
    async close() {
      await Promise.all([...subscriptions].map((s) => s.close()));
      if (options.ownsClient) await client.dispose();
    },
  };
}

const positionOf = (resolved: DbResolvedEvent): DbPosition | undefined =>
  resolved.commitPosition !== undefined
    ? { commit: resolved.commitPosition, prepare: resolved.commitPosition }
    : undefined;
