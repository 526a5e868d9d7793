// The JetStream adapter (nats-server 2.9): one JetStream stream per prefix, one
// subject per aggregate, one message per append. See docs/event-store.md for the
// design, the index kept in headers, and what happens on a crash.
import { hash } from 'node:crypto';
import {
  AckPolicy,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  JSONCodec,
  type JsMsg,
  type MsgHdrs,
  type NatsConnection,
  type NatsError,
  nanos,
  type StoredMsg,
  type StreamInfo,
} from 'nats';
import {
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type Following,
  KeyAlreadyUsed,
  NoSuchLog,
  PayloadTooLarge,
  type Position,
  type RecordedEvent,
  type Subscription,
  WrongExpectedRevision,
} from '../port.ts';
import { PositionMarks } from '../position-marks.ts';
import {
  assertPosition,
  assertValidAppend,
  followingOf,
  Mailbox,
  normaliseExpected,
  revisionMatches,
  sameIds,
} from '../shared.ts';
import {
  assertPrefix,
  type Body,
  type Entry,
  eventSubject,
  eventsStreamName,
  eventsSubjectRoot,
  headerBytes,
  indexEntries,
  indexHeaders,
  keyProbeSubject,
  layoutOneSubjects,
  type MessageIndex,
  msgIdHeader,
  nextIndex,
  readIndex,
} from './layout.ts';
import { pullBytes } from './pull-size.ts';
import { assertSafeReplicas } from './server-support.ts';

export interface JetStreamStoreOptions {
  readonly prefix: string;
  readonly replicas: number;
  /**
   * The server's duplicate window (default 7 days): how long a repeated
   * append is answered from the server's memory, and how long a keyed
   * append's key is remembered (`keyMemoryMs`).
   */
  readonly duplicateWindowMs?: number;
  /**
   * Open an existing log only: create and change nothing (an auditor). A
   * prefix with no events stream is refused with `NoSuchLog` rather than
   * given a new, empty one.
   */
  readonly readOnly?: boolean;
}

const codec = JSONCodec<Body>();
/**
 * 7 days, the time command ids are remembered (DOMAIN.md §2): the server then
 * refuses a command key used again for as long as the worker must, and an
 * accepted append needs no other record. The server holds about 320 bytes a
 * message id (docs/operations.md, "The duplicate window").
 */
export const defaultDuplicateWindowMs = 7 * 24 * 60 * 60 * 1000;
const WRONG_LAST_SEQUENCE = 10071;
/** An expected last subject sequence no subject reaches: the key probe is never stored. */
const NEVER = Number.MAX_SAFE_INTEGER;

/**
 * The message id of an append. A keyed append is deduplicated by its key, so
 * the server refuses the key on any other subject too; otherwise by its
 * events, so a quick retry of the same append costs one publish.
 */
const messageId = (events: readonly EventToAppend[], key: string | undefined): string =>
  key === undefined ? `${events[0]!.id}.${events.length}` : keyMessageId(key);
/** Hashed: any key fits a header, and the server's memory holds 45 characters per id. */
const keyMessageId = (key: string): string => `k.${hash('sha256', key, 'base64url')}`;
/** How many aggregates' tails one process remembers to skip a read before an append. */
const TAIL_CACHE = 10_000;
/** An 'any' append retries on contention; this bounds it so a hot stream cannot spin forever. */
const MAX_ATTEMPTS = 200;

/** A message get: by sequence, the last on a subject, or the first at or after a sequence on a subject. */
type MessageQuery = { seq: number } | { last_by_subj: string } | { seq: number; next_by_subj: string };

/** `jsm.direct` exists on nats.js's manager but is missing from its exported interface. */
interface DirectGets {
  getMessage(stream: string, query: MessageQuery): Promise<StoredMsg>;
}
const directOf = (jsm: JetStreamManager): DirectGets => (jsm as unknown as { direct: DirectGets }).direct;

const isNotFound = (e: unknown): boolean => (e as NatsError | undefined)?.code === '404';
const apiErrorCode = (e: unknown): number | undefined =>
  (e as { api_error?: { err_code?: number } } | undefined)?.api_error?.err_code;

/**
 * The events of the append stored in one message of the events stream. A
 * message that is not one (something else published on the events
 * subjects, or damage) is refused with its sequence, which is what an
 * operator removes (docs/operations.md). An event whose metadata is not an
 * object reads as having none, so an audit names what it lacks.
 */
export function recordedEventsOf(
  seq: number,
  /** Asked only for a message written before the body carried `rev`: nats.js parses headers on first access. */
  headerOf: () => MsgHdrs | undefined,
  data: Uint8Array,
): RecordedEvent[] {
  let body: ReturnType<typeof codec.decode>;
  try {
    body = codec.decode(data);
  } catch {
    throw new NotAnAppend(seq, 'not JSON');
  }
  if (typeof body?.stream !== 'string' || !Array.isArray(body.events))
    throw new NotAnAppend(seq, 'no stream and events');
  const first = body.rev ?? Number.parseInt(headerOf()?.get('Cl-Rev') ?? '', 10);
  // The message's stream sequence is the position of every event in it: one message, one append.
  return body.events.map((e, i) => {
    if (e === null || typeof e !== 'object') throw new NotAnAppend(seq, `event ${i} is not an object`);
    const metadata = e.metadata !== null && typeof e.metadata === 'object' ? e.metadata : {};
    return {
      id: e.id,
      stream: body.stream,
      revision: first + i,
      position: seq,
      type: e.type,
      data: e.data,
      metadata,
      lastInAppend: i === body.events.length - 1,
    };
  });
}

/** A message of the events stream that is not an append; `position` is its sequence. */
export class NotAnAppend extends Error {
  override readonly name = 'NotAnAppend';
  constructor(
    readonly position: number,
    reason: string,
  ) {
    super(
      `message ${position} of the events stream is not an append (${reason}); remove it: nats stream rmm`,
    );
  }
}

/** Creates (or updates to the expected shape) the events stream of a prefix. */
export async function ensureEventsStream(
  jsm: JetStreamManager,
  options: JetStreamStoreOptions,
): Promise<string> {
  const prefix = assertPrefix(options.prefix);
  const name = eventsStreamName(prefix);
  const config = {
    name,
    subjects: [`${eventsSubjectRoot(prefix)}.>`],
    num_replicas: options.replicas,
    // Direct gets answer from any replica without a consumer: the aggregate read path.
    allow_direct: true,
    duplicate_window: nanos(options.duplicateWindowMs ?? defaultDuplicateWindowMs),
  };
  try {
    const info = await jsm.streams.info(name);
    if (!info.config.allow_direct || info.config.duplicate_window !== config.duplicate_window) {
      // Only what this store needs: the replicas, like the rest, stay as the
      // operator set them (raised with `nats stream edit`, docs/operations.md).
      await jsm.streams.update(name, {
        ...info.config,
        allow_direct: true,
        duplicate_window: config.duplicate_window,
      });
    }
  } catch (e) {
    if (!isNotFound(e) && apiErrorCode(e) !== 10059) throw e;
    await jsm.streams.add(config);
  }
  return name;
}

async function existingEventsStream(jsm: JetStreamManager, prefix: string): Promise<string> {
  const name = eventsStreamName(assertPrefix(prefix));
  try {
    await jsm.streams.info(name);
  } catch (e) {
    if (isNotFound(e) || apiErrorCode(e) === 10059) throw new NoSuchLog(`JetStream stream ${name}`);
    throw e;
  }
  return name;
}

export async function connectJetStreamStore(
  nc: NatsConnection,
  options: JetStreamStoreOptions,
): Promise<EventStore> {
  const jsm = await nc.jetstreamManager();
  const js = nc.jetstream();
  // Refused before anything is made, and then by the stream's own count (an
  // operator may have raised it by hand). Reading alone is safe anywhere.
  if (!options.readOnly)
    assertSafeReplicas(nc.info?.version, options.replicas, eventsStreamName(options.prefix));
  const streamName = options.readOnly
    ? await existingEventsStream(jsm, options.prefix)
    : await ensureEventsStream(jsm, options);
  const { config } = await refuseLayoutOne(jsm, streamName, options.prefix);
  if (!options.readOnly) assertSafeReplicas(nc.info?.version, config.num_replicas, streamName);
  return new JetStreamEventStore(
    nc,
    js,
    jsm,
    streamName,
    options.prefix,
    options.duplicateWindowMs ?? defaultDuplicateWindowMs,
  );
}

/** The events stream holds appends of an older subject layout, which this version would not find. */
export class UnsupportedLayout extends Error {
  override readonly name = 'UnsupportedLayout';
}

/**
 * Layout 1 published each stream's appends on `<root>.<stream>`; layout 2 on
 * `<root>.<category>.<stream>`. Opened over a layout 1 log, this version would
 * find every stream empty and start second histories beside the first, so it
 * refuses to open one. The server answers from its subject index, without
 * reading messages. Answers the stream's info, which the caller reads on.
 */
async function refuseLayoutOne(
  jsm: JetStreamManager,
  streamName: string,
  prefix: string,
): Promise<StreamInfo> {
  const info = await jsm.streams.info(streamName, { subjects_filter: layoutOneSubjects(prefix) });
  const old = Object.keys(info.state.subjects ?? {});
  if (old.length === 0) return info;
  throw new UnsupportedLayout(
    `JetStream stream ${streamName} holds appends in subject layout 1 (${old[0]}, ${info.state.num_subjects ?? '?'} subjects in all); ` +
      'this version reads layout 2 only (<prefix>.events.<category>.<stream>): see docs/event-store.md, "Subject layout".',
  );
}

/** Messages one pull asks for when reading the whole log, and when following it live (kept small: a subscriber holds back). */
const readAllBatch = 4096;
/** Messages one pull asks for when reading one long aggregate whole. */
const readWholeBatch = 1024;
/**
 * How many messages of the stream the server may scan per event of an
 * aggregate read through a filtered consumer. Measured here: a get costs
 * about 80 µs of the read, a scanned message about 0.2 µs, a consumed one
 * about 25 µs; past ~300 scanned per event the gets win.
 */
const scanPerEvent = 256;
const subscriptionBatch = 256;
/** Own appends remembered for a follower to skip (`othersOnly`): it is handed each within moments. */
const OWN_APPENDS = 4096;

class JetStreamEventStore implements EventStore {
  // The last message of recently used aggregates: lets the usual load-then-append
  // publish without another read. A stale entry only costs one rejected publish.
  // `null`: the stream was read and did not exist (a create follows the read).
  private readonly tails = new Map<string, MessageIndex | null>();
  /**
   * The message ids of the latest appends made through this object while an
   * `othersOnly` follower is open: it is handed each back and knows it
   * already. Marked before the publish, so a delivery that overtakes the
   * publish's ack is recognised too.
   */
  private readonly ownAppends = new PositionMarks<string>(OWN_APPENDS);
  /** Open `othersOnly` followers: own appends are marked only while one is. */
  private othersOnlyFollowers = 0;
  private readonly followings = new Set<Following>();
  private readonly subscriptions = new Set<Subscription>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly streamName: string,
    private readonly prefix: string,
    /** The server remembers every message id for its duplicate window: keys included. */
    readonly keyMemoryMs: number,
  ) {}

  private remember(stream: string, tail: MessageIndex | null | undefined): void {
    this.tails.delete(stream);
    if (tail === undefined) return;
    this.tails.set(stream, tail);
    if (this.tails.size > TAIL_CACHE) this.tails.delete(this.tails.keys().next().value!);
  }

  private async get(query: MessageQuery): Promise<StoredMsg | undefined> {
    try {
      return await directOf(this.jsm).getMessage(this.streamName, query);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /**
   * A message that is known to exist (an index names it, an ack gave its
   * sequence). A direct get may be answered by a replica that has not caught
   * up yet, and says "not found": it is then asked of the stream's leader,
   * so a lagging replica never leaves a gap in an aggregate's events.
   */
  private getKnown(seq: number): Promise<StoredMsg | undefined> {
    return this.getOrAskLeader({ seq });
  }

  /** The first message of the log at or after `seq`, asked of the leader too when a replica says none. */
  private firstFrom(seq: number): Promise<StoredMsg | undefined> {
    return this.getOrAskLeader({ seq, next_by_subj: `${eventsSubjectRoot(this.prefix)}.>` });
  }

  /** A direct get; its "not found" asked again of the stream's leader, which a replica may lag behind. */
  private async getOrAskLeader(query: MessageQuery): Promise<StoredMsg | undefined> {
    const direct = await this.get(query);
    if (direct) return direct;
    try {
      // nats.js types the leader's request narrower than the server takes it (next_by_subj, 2.9+).
      return await this.jsm.streams.getMessage(this.streamName, query as { seq: number });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  private async fetchTail(stream: string): Promise<StoredMsg | undefined> {
    return this.get({ last_by_subj: eventSubject(this.prefix, stream) });
  }

  /**
   * A subscriber saw an append: if it is newer than the tail remembered for
   * its stream, it becomes the tail, so this process's next append there
   * (after another process wrote) is published at the right sequence without
   * a refused publish and a read. Streams not remembered are not added.
   */
  private follow(stream: string, m: JsMsg): void {
    const known = this.tails.get(stream);
    if (known === undefined || (known !== null && known.seq >= m.seq) || !m.headers) return;
    this.remember(stream, readIndex(m.seq, m.headers));
  }

  private decode(msg: StoredMsg): RecordedEvent[] {
    return recordedEventsOf(msg.seq, () => msg.header, msg.data);
  }

  /** The events of the append stored at `seq` (the one a duplicate ack names); none if it is gone. */
  private async appendAt(seq: number): Promise<RecordedEvent[]> {
    const msg = await this.getKnown(seq);
    return msg ? this.decode(msg) : [];
  }

  async append(
    stream: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    assertValidAppend(stream, events);
    return this.publishAppend(stream, eventSubject(this.prefix, stream), events, options);
  }

  private async publishAppend(
    stream: string,
    subject: string,
    events: readonly EventToAppend[],
    { expectedRevision, key }: AppendOptions,
  ): Promise<AppendResult> {
    const stored = events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: { ...e.metadata } }));
    const limit = this.nc.info?.max_payload ?? 1024 * 1024;
    const msgId = messageId(events, key);

    // A create-only append needs no look first: the server refuses it
    // (last subject sequence not 0) if the stream exists, and only then is it read.
    let unseen = normaliseExpected(expectedRevision) === 'no_stream';
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const cached = unseen ? null : this.tails.get(stream);
      unseen = false;
      let tail = cached ?? undefined;
      if (cached === undefined) {
        const msg = await this.fetchTail(stream);
        tail = msg ? readIndex(msg.seq, msg.header) : undefined;
      }
      const actual = tail ? tail.lastRev : -1;
      if (!revisionMatches(expectedRevision, actual)) {
        if (cached !== undefined) {
          this.tails.delete(stream);
          continue;
        }
        const earlier = await this.findEarlierAppend(stream, events, expectedRevision, actual);
        if (earlier) return earlier;
        throw new WrongExpectedRevision(stream, expectedRevision, actual);
      }
      const next = nextIndex(tail, actual + 1, events.length);
      const body = codec.encode({ stream, rev: actual + 1, events: stored });
      const h = indexHeaders(next, msgId);
      const bytes = body.length + headerBytes(h) + subject.length;
      if (bytes > limit) throw new PayloadTooLarge(stream, bytes, limit);
      const ownMark = this.othersOnlyFollowers > 0;
      if (ownMark) this.ownAppends.add(msgId);
      try {
        const ack = await this.js.publish(subject, body, {
          headers: h,
          expect: { lastSubjectSequence: tail?.seq ?? 0 },
        });
        if (ack.duplicate) {
          // The server checks the message id before the expected sequence: a
          // repeat of this append, or its key used by another append.
          if (ownMark) this.ownAppends.take(msgId);
          this.tails.delete(stream);
          const recorded = await this.appendAt(ack.seq);
          const last = recorded[recorded.length - 1];
          if (last && last.stream === stream && sameIds(recorded, events))
            return { revision: last.revision, position: last.position };
          if (key !== undefined && last) throw new KeyAlreadyUsed(key, recorded);
          throw new Error(`message ${ack.seq} deduplicated an append to ${stream} but holds other events`);
        }
        this.remember(stream, { seq: ack.seq, ...next });
        return { revision: next.lastRev, position: ack.seq };
      } catch (e) {
        // Nothing stored (or not known to be): a delivery of it is then not skipped, which is harmless.
        if (ownMark) this.ownAppends.take(msgId);
        if ((e as NatsError).code === 'MAX_PAYLOAD_EXCEEDED') throw new PayloadTooLarge(stream, bytes, limit);
        if (apiErrorCode(e) !== WRONG_LAST_SEQUENCE) throw e;
        // Someone appended since we looked: look again; the revision check decides.
        this.tails.delete(stream);
      }
    }
    throw new Error(`append to ${stream} gave up after ${MAX_ATTEMPTS} contended attempts`);
  }

  /**
   * Asks the server's duplicate window about a key without writing: the
   * probe is published with the key's message id and an expected sequence
   * its subject never has. The server checks the id first, so a known key
   * is answered as a duplicate (with its append's sequence) and an unknown
   * one is refused for the sequence, leaving nothing behind.
   */
  async findKeyedAppend(key: string): Promise<RecordedEvent[] | undefined> {
    try {
      const ack = await this.js.publish(keyProbeSubject(this.prefix), new Uint8Array(0), {
        msgID: keyMessageId(key),
        expect: { lastSubjectSequence: NEVER },
      });
      if (!ack.duplicate)
        throw new Error(`the key probe was stored at ${ack.seq}: the server broke its expected sequence`);
      const recorded = await this.appendAt(ack.seq);
      return recorded.length > 0 ? recorded : undefined;
    } catch (e) {
      if (apiErrorCode(e) === WRONG_LAST_SEQUENCE) return undefined;
      throw e;
    }
  }

  /**
   * Recognises a retry whose first attempt was written but not acknowledged (or
   * acknowledged to a process that then crashed), after the server's duplicate
   * window. The first attempt sits right after the revision it expected; with
   * 'any' or 'exists' it can only be recognised while it is the last append.
   */
  private async findEarlierAppend(
    stream: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
    actual: number,
  ): Promise<AppendResult | undefined> {
    if (actual < 0) return undefined;
    const e = normaliseExpected(expected);
    const from =
      e === 'no_stream' ? 0 : typeof e === 'number' ? e + 1 : Math.max(0, actual - events.length + 1);
    if (from > actual) return undefined;
    const recorded = (await this.readStream(stream, { fromRevision: from })).slice(0, events.length);
    const last = recorded[recorded.length - 1];
    if (last && sameIds(recorded, events)) return { revision: last.revision, position: last.position };
    return undefined;
  }

  async readStream(
    stream: string,
    options: { readonly fromRevision?: number } = {},
  ): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0;
    const tailMsg = await this.fetchTail(stream);
    if (!tailMsg) {
      this.remember(stream, null);
      return [];
    }
    const tail = readIndex(tailMsg.seq, tailMsg.header);
    this.remember(stream, tail);
    if (tail.lastRev < from) return [];
    // A long aggregate read whole (a cold load) can come through one consumer
    // filtered on its subject, in batches, instead of the walk below (a get
    // per message, a round trip per chunk of 64: a worker joining a busy
    // prefix made 38k gets loading 16 accounts). But the server finds the
    // subject's messages by scanning the stream up to the last one, so the
    // consumer is used only where that scan is at most `scanPerEvent` times
    // the aggregate's own size: the read's cost then still depends on the
    // aggregate alone (docs/event-store.md, "Reading one aggregate").
    if (from === 0 && tail.chunk && (tail.lastRev + 1) * scanPerEvent >= tail.seq)
      return this.readWhole(stream, tail.seq);

    // Walk the chunks backwards; fetch every needed message of a chunk at once
    // while following the link to the previous chunk.
    const fetched: Promise<StoredMsg | undefined>[] = [Promise.resolve(tailMsg)];
    let current: MessageIndex = tail;
    for (;;) {
      const entries = indexEntries(current);
      // Message k covers revisions [entries[k].rev, next first revision - 1].
      const firsts = [...entries.map((x) => x.rev), current.firstRev];
      entries.forEach((entry: Entry, k) => {
        if (firsts[k + 1]! - 1 >= from) fetched.push(settleLater(this.getKnown(entry.seq)));
      });
      const chunk = current.chunk;
      const chunkLast = (firsts[0] ?? current.firstRev) - 1;
      if (!chunk || chunkLast < from) break;
      const chunkMsg = await this.getKnown(chunk.seq);
      if (!chunkMsg) throw new Error(`index of ${stream} names missing message ${chunk.seq}`);
      fetched.push(Promise.resolve(chunkMsg));
      current = readIndex(chunkMsg.seq, chunkMsg.header);
    }
    const messages = await Promise.all(fetched);
    // Even the leader lacks a message the index names (purged, deleted by
    // hand): the aggregate cannot be read whole, and a gap would fold wrong.
    if (messages.includes(undefined))
      throw new Error(`index of ${stream} names a message the stream no longer holds`);
    return (messages as StoredMsg[])
      .sort((a, b) => a.seq - b.seq)
      .flatMap((m) => this.decode(m))
      .filter((e) => e.revision >= from);
  }

  /** Every message of one aggregate up to `lastSeq` (its tail as just read), in order. */
  private async readWhole(stream: string, lastSeq: number): Promise<RecordedEvent[]> {
    // An ephemeral pull consumer of our own: nats.js's ordered consumer,
    // given a filter, never delivered on nats-server 2.9.
    const { name } = await this.jsm.consumers.add(this.streamName, {
      filter_subject: eventSubject(this.prefix, stream),
      deliver_policy: DeliverPolicy.All,
      ack_policy: AckPolicy.None,
      mem_storage: true,
      num_replicas: 1,
      // Left behind only if this process dies mid-read.
      inactive_threshold: nanos(30_000),
    });
    try {
      const consumer = await this.js.consumers.get(this.streamName, name);
      const events: RecordedEvent[] = [];
      // Bounded pulls: if the tail message were gone (the stream purged
      // meanwhile), the read fails instead of waiting for it.
      for (let seen = 0; seen < lastSeq; ) {
        let got = 0;
        for await (const m of await consumer.fetch({
          max_messages: readWholeBatch,
          max_bytes: pullBytes(this.nc),
          expires: 5_000,
        })) {
          got++;
          seen = m.seq;
          if (m.seq > lastSeq) break;
          for (const e of this.eventsOf(m)) events.push(e);
          if (m.seq === lastSeq) break;
        }
        if (got === 0) throw new Error(`reading ${stream}: its last message (${lastSeq}) never came`);
      }
      // As the read by index refuses a message its index names and the
      // stream lost (deleted by hand): a gap would fold wrong.
      const gap = events.findIndex((e, i) => e.revision !== i);
      if (gap >= 0) throw new Error(`reading ${stream}: revision ${gap} is missing from the stream`);
      return events;
    } finally {
      void this.jsm.consumers.delete(this.streamName, name).catch(() => undefined);
    }
  }

  /** Delivers every message from `start` on, through an ordered consumer, until `stop` says so. */
  private async *messages(
    start: number,
    until: number | undefined,
    batch: number,
    onOpen?: (close: () => void) => void,
  ): AsyncGenerator<JsMsg> {
    const ordered = await this.orderedFrom(start);
    const iter = await ordered.consume({
      max_messages: batch,
      max_bytes: pullBytes(this.nc),
    });
    onOpen?.(() => iter.stop());
    try {
      for await (const m of iter) {
        // Past `until` (the messages up to it were deleted since the read
        // began), or nothing after it now: the read is over either way.
        if (until !== undefined && m.seq > until) break;
        yield m;
        if (until !== undefined && (m.seq === until || m.info.pending === 0)) break;
      }
    } finally {
      iter.stop();
      // Removed, not left for the server to time out (5 minutes): a reader
      // that must leave nothing behind (an audit) leaves nothing.
      await ordered.delete().catch(() => undefined);
    }
  }

  /** The first sequence after `from`: a position is the sequence of its append's message. */
  private startOf(from: Position | undefined): number {
    return from === undefined ? 1 : assertPosition(from) + 1;
  }

  private eventsOf(m: JsMsg): RecordedEvent[] {
    return recordedEventsOf(m.seq, () => m.headers, m.data);
  }

  /** An append handed over live: its events, its stream's remembered tail moved on. */
  private received(m: JsMsg): RecordedEvent[] {
    const events = this.eventsOf(m);
    if (events[0]) this.follow(events[0].stream, m);
    return events;
  }

  /** An ordered consumer of the whole log from `start`: it recreates itself after a gap or reconnect. */
  private orderedFrom(start: number) {
    return this.js.consumers.get(this.streamName, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: Math.max(1, start),
    });
  }

  async *readAll(options: { readonly from?: Position } = {}): AsyncIterable<RecordedEvent> {
    const start = this.startOf(options.from);
    // A snapshot: the log as it is when the read begins.
    const end = await this.headPosition();
    if (end < start) return;
    // Messages may have been deleted (the operator's remedy for a foreign
    // one, docs/operations.md): with none left from `start` to the head, the
    // consumer would deliver nothing and the read would wait for ever.
    const first = await this.firstFrom(start);
    if (!first || first.seq > end) return;
    // A reader of the whole log pulls large batches: the pull round trips, not
    // the decoding, bound a replay (256 a pull gave about half the rate).
    for await (const m of this.messages(start, end, readAllBatch)) yield* this.eventsOf(m);
  }

  async headPosition(): Promise<Position> {
    return (await this.jsm.streams.info(this.streamName)).state.last_seq;
  }

  async logId(): Promise<string> {
    // The stream's creation time tells a recreated stream (same name, new log)
    // from the old one. Asked each time, not remembered: a projector asks
    // again while it runs to notice a log recreated under it.
    const info = await this.jsm.streams.info(this.streamName);
    return `jetstream:${info.config.name}@${info.created}`;
  }

  subscribeAll(options: { readonly from?: Position; readonly fromEnd?: boolean } = {}): Subscription {
    let start = this.startOf(options.from);
    const box = new Mailbox<RecordedEvent>();
    let stop: (() => void) | undefined;
    // One ordered consumer both catches up and goes live, so nothing appended
    // in between can be missed; it recreates itself after a gap or reconnect.
    const pump = (async () => {
      if (options.fromEnd) start = (await this.headPosition()) + 1;
      for await (const m of this.messages(start, undefined, subscriptionBatch, (close) => {
        stop = close;
        // Closed before the consumer existed: stop it as soon as it does.
        if (box.closed) close();
      })) {
        if (box.closed) break;
        // Asked to start past its last message, the server starts the consumer
        // at the next one it stores instead: those up to `from` are skipped here.
        if (m.seq < start) continue;
        for (const e of this.received(m)) box.push(e);
        // Stop pulling while the subscriber is behind; the consumer waits on the server.
        await box.room();
      }
    })().then(
      () => box.end(),
      (e: unknown) => box.end(box.closed ? undefined : e),
    );
    const subscription: Subscription = {
      [Symbol.asyncIterator]: () => box.drain(),
      close: async () => {
        this.subscriptions.delete(subscription);
        box.end();
        stop?.();
        await pump;
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  followAppends(
    onAppend: (events: readonly RecordedEvent[]) => void,
    options: { readonly othersOnly?: boolean } = {},
  ): Following {
    const othersOnly = options.othersOnly === true;
    if (othersOnly) this.othersOnlyFollowers++;
    let stopping = false;
    let messages: ConsumerMessages | undefined;
    const running = (async (): Promise<Error> => {
      const consumer = await this.orderedFrom((await this.headPosition()) + 1);
      // A callback, not an iterator: nats.js calls it while it handles the
      // delivery, before any message read after it (a command for the same
      // aggregate, routed here because another worker just answered it).
      // Through an iterator that command would be decided first, on the
      // state before the append, and its own append refused.
      messages = await consumer.consume({
        max_messages: subscriptionBatch,
        max_bytes: pullBytes(this.nc),
        callback: (m) => {
          if (othersOnly && this.ownAppends.take(m.headers?.get(msgIdHeader) ?? '')) return;
          onAppend(this.received(m));
        },
      });
      if (stopping) messages.stop();
      const why = await messages.closed();
      return why instanceof Error ? why : new Error('the consumer following the log stopped');
    })().finally(() => {
      if (othersOnly) this.othersOnlyFollowers--;
    });
    const following = followingOf(running, () => {
      stopping = true;
      this.followings.delete(following);
      messages?.stop();
    });
    this.followings.add(following);
    return following;
  }

  async close(): Promise<void> {
    // The caller owns the connection; only what this store opened is closed.
    await Promise.all([...this.subscriptions, ...this.followings].map((s) => s.close()));
    this.tails.clear();
  }
}

/**
 * Marks a promise as handled now while keeping its rejection for whoever
 * awaits it later. The gets of one chunk are started before the walk awaits
 * the previous chunk; a get failing in between (a NATS reconnect) must reach
 * Promise.all, not end the process as an unhandled rejection.
 */
function settleLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
