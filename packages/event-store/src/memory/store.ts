// The in-memory store: the reference behaviour of the port, for unit tests and
// demos. Everything is lost when the process exits.
import { randomUUID } from 'node:crypto';
import {
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  KeyAlreadyUsed,
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
  OpenFollowings,
  revisionMatches,
  sameIds,
  serializedEvents,
  utf8Length,
} from '../shared.ts';

/** The first log index after the append at `position` (positions count appends from 1). */
const indexAfter = (log: readonly RecordedEvent[], position: Position | undefined): number => {
  if (position === undefined || assertPosition(position) === 0) return 0;
  // Positions grow with the index, so a binary search finds the first event past `position`.
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log[mid]!.position <= position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

export interface MemoryEventStoreOptions {
  /**
   * Mirrors the 1 MiB a default NATS server accepts, so tests see the same
   * limit. Only the events' JSON is counted, not the envelope JetStream adds
   * (docs/event-store.md, "Payload limit").
   */
  readonly maxAppendBytes?: number;
  /**
   * Remember keyed appends' keys (default true, for ever). `false` stands for
   * a store without key memory (EventStoreDB): `key` is then ignored.
   */
  readonly remembersKeys?: boolean;
}

interface PastAppend {
  readonly ids: readonly { id: string }[];
  readonly result: AppendResult;
}

const clone = <T>(value: T): T => structuredClone(value);

export function memoryEventStore(options: MemoryEventStoreOptions = {}): EventStore {
  const limit = options.maxAppendBytes ?? 1024 * 1024;
  const remembersKeys = options.remembersKeys ?? true;
  const log: RecordedEvent[] = [];
  const id = `memory:${randomUUID()}`;
  let appendCount = 0;
  const streams = new Map<string, RecordedEvent[]>();
  // Keyed by stream and first event id: a retry is recognised however old it is.
  const appends = new Map<string, PastAppend>();
  // The events of each keyed append, by key, for ever (a test process is short-lived).
  const keyed = new Map<string, readonly RecordedEvent[]>();
  const listeners = new Set<() => void>();
  const open = new Set<Subscription>();
  const followings = new OpenFollowings();

  const append = async (
    stream: string,
    events: readonly EventToAppend[],
    { expectedRevision, key }: AppendOptions,
  ): Promise<AppendResult> => {
    assertValidAppend(stream, events);
    // A keyed append is recognised by its key, checked first, as JetStream's
    // server checks the key's message id: the very same append again answers
    // as the first time, any other append under the key is refused, even one
    // whose ids repeat some earlier append.
    const earlier = key !== undefined && remembersKeys ? keyed.get(key) : undefined;
    if (key !== undefined && earlier) {
      const last = earlier[earlier.length - 1]!;
      if (last.stream === stream && sameIds(earlier, events))
        return { revision: last.revision, position: last.position };
      throw new KeyAlreadyUsed(key, earlier.map(clone));
    }
    const retryKey = `${stream}\u0000${events[0]!.id}`;
    const past = appends.get(retryKey);
    // A copy each time, here and below: a caller that changes its answer must not change a retry's.
    if (past && sameIds(past.ids, events)) return { ...past.result };
    const json = serializedEvents(events);
    const bytes = utf8Length(json);
    if (bytes > limit) throw new PayloadTooLarge(stream, bytes, limit);
    const existing = streams.get(stream) ?? [];
    const actual = existing.length - 1;
    if (!revisionMatches(expectedRevision, actual)) {
      throw new WrongExpectedRevision(stream, expectedRevision, actual);
    }
    // Kept as JSON gives them back, as JetStream stores them: a Date reads back
    // as its string, NaN as null, an undefined field not at all. A payload
    // JSON cannot hold has already failed above, with nothing written.
    const stored = JSON.parse(json) as { data?: unknown; metadata?: unknown }[];
    const position = appendCount + 1;
    const recorded = events.map((e, i): RecordedEvent => {
      const { data, metadata } = stored[i]!;
      return {
        id: e.id,
        stream,
        revision: existing.length + i,
        position,
        type: e.type,
        data,
        metadata:
          metadata !== null && typeof metadata === 'object' ? (metadata as RecordedEvent['metadata']) : {},
        lastInAppend: i === events.length - 1,
      };
    });
    appendCount = position;
    log.push(...recorded);
    // Grown in place: copying the stream on every append made a long stream quadratic.
    if (existing.length === 0) streams.set(stream, existing);
    existing.push(...recorded);
    const last = recorded[recorded.length - 1]!;
    const result = { revision: last.revision, position: last.position };
    appends.set(retryKey, { ids: events.map((e) => ({ id: e.id })), result });
    if (key !== undefined && remembersKeys) keyed.set(key, recorded);
    for (const l of listeners) l();
    return { ...result };
  };

  const subscribeAll = (
    opts: { readonly from?: Position; readonly fromEnd?: boolean } = {},
  ): Subscription => {
    let cursor = opts.fromEnd ? log.length : indexAfter(log, opts.from);
    // A `from` past the head puts the cursor at the end of the log; the appends
    // that then reach positions up to `from` are not after it, and are skipped.
    const after = opts.fromEnd ? 0 : (opts.from ?? 0);
    const box = new Mailbox<RecordedEvent>();
    // The log only grows and is read from a cursor, so nothing appended between
    // catch-up and live can be missed: catching up and going live are one loop.
    // It stops while the mailbox is full, so a reader behind a long log holds
    // about a mailbox of copies, not the whole log; an append that comes in
    // meanwhile leaves its events to the loop already running.
    let pumping = false;
    const pump = async () => {
      if (pumping) return;
      pumping = true;
      try {
        while (cursor < log.length && !box.closed) {
          if (box.full) {
            await box.room();
            continue;
          }
          const event = log[cursor++]!;
          if (event.position > after) box.push(clone(event));
        }
      } finally {
        pumping = false;
      }
    };
    const wake = () => void pump();
    listeners.add(wake);
    wake();
    const subscription: Subscription = {
      [Symbol.asyncIterator]: () => box.drain(),
      close: async () => {
        listeners.delete(wake);
        open.delete(subscription);
        box.end();
      },
    };
    open.add(subscription);
    return subscription;
  };

  const keyMemory: Pick<EventStore, 'keyMemoryMs' | 'findKeyedAppend'> = {
    keyMemoryMs: Number.POSITIVE_INFINITY,
    findKeyedAppend: async (key) => keyed.get(key)?.map(clone),
  };
  return {
    append,
    ...(remembersKeys ? keyMemory : {}),
    async readStream(stream, opts = {}) {
      const from = opts.fromRevision ?? 0;
      // The events whose revision is at least `from`, as JetStream filters
      // them: from the next whole revision for a fraction, none for NaN. A
      // stream's events sit at the index of their revision, so a slice finds them.
      if (Number.isNaN(from)) return [];
      return (streams.get(stream) ?? []).slice(Math.max(0, Math.ceil(from))).map(clone);
    },
    async *readAll(opts = {}) {
      const end = log.length;
      for (let i = indexAfter(log, opts.from); i < end; i++) yield clone(log[i]!);
    },
    subscribeAll,
    followAppends: (onAppend) => followings.track(followThrough(subscribeAll({ fromEnd: true }), onAppend)),
    async headPosition() {
      return appendCount;
    },
    async logId() {
      return id;
    },
    async close() {
      // Keeps the data: a closed memory store stands for a stopped process whose storage survives,
      // which is what the contract's "after a restart" cases reopen.
      await followings.closeAll();
      await Promise.all([...open].map((s) => s.close()));
    },
  };
}
