// The event store port. The domain knows nothing of it; the worker, the
// auditor and reactors use it; three adapters implement it (memory,
// jetstream, eventstoredb) and pass one contract suite (./contract).

/** `-1` is the revision of a stream that does not exist; the first event is revision 0. */
export type ExpectedRevision = 'any' | 'no_stream' | 'exists' | number;

/**
 * The global position of an append in the store's log: an integer >= 1 below
 * 2^53 that grows with every append (JetStream: the stream sequence of the
 * append's message; EventStoreDB: the commit position; memory: a counter of
 * appends). 0 stands for "before everything" (the head of an empty log).
 *
 * A position names an append, not an event: all events of one append share
 * it. So resuming after a position resumes after the whole append, and a
 * reader may only save a checkpoint once it has handled the last event of an
 * append (`RecordedEvent.lastInAppend`).
 */
export type Position = number;

export interface EventToAppend {
  /** A UUID. Derived from the command id by the caller so a retried append is recognised. */
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface RecordedEvent {
  readonly id: string;
  readonly stream: string;
  readonly revision: number;
  /** The position of the append this event belongs to (shared by its events). */
  readonly position: Position;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
  /**
   * True on the last event of its append. Every adapter sets it; a reader
   * saves a checkpoint only at such an event, since resuming after a position
   * skips the rest of its append. Hand-built events may leave it out (read as true).
   */
  readonly lastInAppend?: boolean;
}

export interface AppendResult {
  /** Revision of the last event of this append in its stream. */
  readonly revision: number;
  /** Global position of the append (of its last event). */
  readonly position: Position;
}

export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

/** A running `followAppends`. */
export interface Following {
  /** Resolves, with why, when following stopped by itself; never after `close`. */
  readonly ended: Promise<Error>;
  close(): Promise<void>;
}

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
  /**
   * The command key this append is the effect of. A store that remembers
   * keys (`keyMemoryMs`) makes it part of the same atomic write: a second
   * append under the key within that time is refused with `KeyAlreadyUsed`
   * (unless it is a retry of the very same append, answered as the first
   * time). Others ignore it.
   *
   * Such a store recognises a keyed append by its key, checked before the
   * ids: an append under a key another append used is refused even when its
   * ids repeat some earlier append. A retry that drops or changes its key is
   * not recognised by the key; it is left to the ids rule of `append`, which
   * adapters honour to different extents (JetStream only at the exact
   * revision the first attempt expected, memory always). The worker derives
   * event ids from the key, so it never sends one.
   */
  readonly key?: string;
}

export interface EventStore {
  /** Appends all events atomically, or none. A retry with the same event ids appends nothing and answers as the first time. */
  append(stream: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult>;
  /**
   * How long a keyed append's key is remembered (JetStream: the events
   * stream's duplicate window; memory: for ever). Absent: keys are not
   * remembered, and whoever needs them must record them elsewhere.
   */
  readonly keyMemoryMs?: number;
  /** The append made under `key` within `keyMemoryMs`, or undefined. Writes nothing. Present with `keyMemoryMs`. */
  findKeyedAppend?(key: string): Promise<RecordedEvent[] | undefined>;
  /**
   * The stream's events whose revision is at least `fromRevision` (default
   * 0); empty when the stream does not exist.
   */
  readStream(stream: string, options?: { readonly fromRevision?: number }): Promise<RecordedEvent[]>;
  /** Every event in global order, strictly after `from` (from the start when absent). */
  readAll(options?: { readonly from?: Position }): AsyncIterable<RecordedEvent>;
  /**
   * Catches up from `from` (exclusive), then goes on live until closed; a
   * `from` past the head delivers only the appends after it, once the log
   * gets there. With `fromEnd`, skips all history and delivers only what is
   * appended after the subscription opened (a new reader that has no
   * checkpoint yet).
   */
  subscribeAll(options?: { readonly from?: Position; readonly fromEnd?: boolean }): Subscription;
  /**
   * Hands every append made after the call to `onAppend`, whole (its events
   * in order) and in log order, for a cache kept current by other writers.
   * A store that is handed appends over a connection calls `onAppend` while
   * it handles the delivery (JetStream), so whatever that connection brings
   * after the append finds it applied; others call it as soon as they can.
   * With `othersOnly` (a hint), appends made through this very store object
   * may be left out: it knows them already. Every other append is handed
   * over either way. A throw from `onAppend` ends the following.
   */
  followAppends(
    onAppend: (events: readonly RecordedEvent[]) => void,
    options?: { readonly othersOnly?: boolean },
  ): Following;
  /** The position of the last append in the log, 0 when it is empty. One cheap round trip. */
  headPosition(): Promise<Position>;
  /**
   * A stable id of this log, the same for every process that opens it and
   * different for another log (another prefix, a recreated stream, another
   * server): a reader that kept a position can tell it is no longer valid here.
   */
  logId(): Promise<string>;
  close(): Promise<void>;
}

/** The stream was not at the expected revision. Callers reload and decide again. */
export class WrongExpectedRevision extends Error {
  override readonly name = 'WrongExpectedRevision';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** -1 when the stream does not exist. */
    readonly actual: number,
  ) {
    super(`stream ${stream} is at revision ${actual}, expected ${String(expected)}`);
  }
}

/** The append's key was used by another append (another stream, or other events), within the store's key memory. Nothing was written. */
export class KeyAlreadyUsed extends Error {
  override readonly name = 'KeyAlreadyUsed';
  constructor(
    readonly key: string,
    /** The events of the append the key was used for first. */
    readonly earlier: readonly RecordedEvent[],
  ) {
    super(`key ${key} was used by an append to ${earlier[0]?.stream ?? '?'} already`);
  }
}

/** A store opened read-only does not exist: nothing was ever written under that name. */
export class NoSuchLog extends Error {
  override readonly name = 'NoSuchLog';
  constructor(readonly where: string) {
    super(`${where} does not exist`);
  }
}

/** The append is larger than the server accepts; nothing was written. */
export class PayloadTooLarge extends Error {
  override readonly name = 'PayloadTooLarge';
  constructor(
    readonly stream: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`append to ${stream} is ${bytes} bytes, the store accepts at most ${limit}`);
  }
}

// ---------------------------------------------------------------------------
// The reply log: what the worker answered to each (actor, command_id), kept
// durably for at least `retentionMs` so a retry gets the first reply again.

export interface StoredReply {
  readonly subject: string;
  readonly payloadHash: string;
  readonly reply: unknown;
}

export interface ReplyLog {
  get(key: string): Promise<StoredReply | undefined>;
  /** First writer wins: when a reply is already stored under `key`, that one is kept and returned. */
  putIfAbsent(key: string, reply: StoredReply): Promise<StoredReply>;
  /**
   * Answered from memory, no round trip: `false` only when the log
   * certainly holds no reply for `key` (as of a moment no older than the
   * adapter's staleness bound), so a new command can skip `get`. Adapters
   * that cannot vouch for that leave it out, and every command asks `get`.
   */
  mayHold?(key: string): boolean;
  /**
   * Stores `reply` under `key` if no reply is there yet, without waiting for
   * (or being told) the outcome: for records that only back a later 128 and
   * may be lost without harm. Adapters without it get `putIfAbsent`.
   */
  putBehind?(key: string, reply: StoredReply): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Checkpoints: how far a reader of the global log (a reactor, a projection)
// has got, by name, so it resumes there after a restart instead of at the
// start. Saving is last-writer-wins; a reader that saves an older position
// than another only repeats work, which reactors must tolerate anyway.

export interface CheckpointStore {
  load(name: string): Promise<Position | undefined>;
  save(name: string, position: Position): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Work queues: the appends of the log that may ask for follow-ups, handed out
// to the workers of one prefix so that each is handled by one of them at a
// time (shared, not broadcast), at least once, durably across restarts. A
// failure for a passing reason is retried later; one that keeps failing, or
// that the handler gives up on, is parked where an operator can list it.

export interface WorkQueueOptions {
  /** Names the queue within its log (one durable consumer). Default `follow-ups`. */
  readonly name?: string;
  /** Only appends holding at least one event of these types are handed out. */
  readonly types: readonly string[];
  /**
   * And only appends to streams of these categories (a stream's name up to
   * its first dash); default every stream. A store that files appends by
   * category (JetStream) then never delivers the others at all, which spares
   * a delivery and an ack for each append no reactor answers.
   */
  readonly categories?: readonly string[];
  /** An item neither acked, retried nor parked this long after delivery goes to another worker. Default 30 s. */
  readonly ackWaitMs?: number;
  /** The delivery after this many is parked instead of handed out; so is retryLater on the last one. Default 10. */
  readonly maxAttempts?: number;
  /**
   * Items handed out and not yet acked or parked, over all workers of the
   * queue: while that many are out, no further append is handed out.
   * Default 1000. An item waiting for its retry keeps its place (JetStream's
   * max_ack_pending counts it until it is acked; the memory queue does the same).
   */
  readonly maxInFlight?: number;
  /**
   * Told of each item the queue parks by itself, never handed out: one not
   * settled after `maxAttempts` deliveries (its workers died or hung), or a
   * message that cannot be read as an append. The caller logs it as it logs
   * what it parks, so no parked item goes unseen (DOMAIN.md §1).
   */
  readonly onParked?: (parked: ParkedWork) => void;
}

export interface WorkItem {
  /** The position of the append. */
  readonly position: Position;
  /** The events of the append whose type the queue asked for, in order (at least one). */
  readonly events: readonly RecordedEvent[];
  /** 1 on the first delivery, then one more for each redelivery. */
  readonly attempt: number;
  /** Done: never handed out again. */
  ack(): Promise<void>;
  /** Hand it out again (to any worker) after about `delayMs`; other items go on meanwhile. */
  retryLater(delayMs: number): Promise<void>;
  /** Give up: moves it where `listParked` shows it, kept across restarts. */
  park(reason: string): Promise<void>;
}

export interface ParkedWork {
  readonly position: Position;
  readonly events: readonly RecordedEvent[];
  readonly reason: string;
  readonly attempts: number;
  /** ISO 8601 UTC. */
  readonly parkedAt: string;
}

/** One worker's share of a queue; iterate it and settle every item (many may be in flight at once). */
export interface WorkConsumer extends AsyncIterable<WorkItem> {
  /** Stops taking items; items taken and not settled go to another worker after the ack wait. */
  close(): Promise<void>;
}

export interface WorkQueue {
  consume(): WorkConsumer;
  /** Everything parked in this queue, oldest first. */
  listParked(): Promise<ParkedWork[]>;
  close(): Promise<void>;
}

/** Thrown when an item is settled (acked, retried, parked) a second time. */
export class AlreadySettled extends Error {
  override readonly name = 'AlreadySettled';
  constructor(readonly position: Position) {
    super(`work item at position ${position} was already settled`);
  }
}
