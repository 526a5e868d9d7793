// Small pieces every adapter shares: how positions are spelled, how arbitrary
// strings become safe NATS subject tokens / KV keys, and the size of an append.
import { createHash } from 'node:crypto';
import {
  AlreadySettled,
  type EventToAppend,
  type ExpectedRevision,
  type Following,
  type Position,
  type RecordedEvent,
  type Subscription,
  type WorkItem,
  type WorkQueueOptions,
} from './port.ts';

/** Positions are integers in log order; kept for callers that sort by position. */
export const comparePositions = (a: Position, b: Position): number => a - b;

/** A position handed to a read must be an integer in [0, 2^53); anything else is a programming error. */
export const assertPosition = (position: Position): Position => {
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new TypeError(`a position is an integer >= 0 below 2^53, got ${String(position)}`);
  }
  return position;
};

const SAFE = /^[A-Za-z0-9_-]{1,200}$/;

/**
 * Makes an arbitrary string usable as one NATS subject token and as a KV key.
 * Plain names (letters, digits, `_`, `-`: every `<category>-<id>` stream name)
 * pass through unchanged so subjects stay readable; anything else becomes `=`
 * followed by base64url, which a plain name can never start with, so two
 * different inputs never share a token. Very long inputs are hashed.
 */
export const safeToken = (raw: string): string => {
  if (SAFE.test(raw)) return raw;
  const encoded = Buffer.from(raw, 'utf8').toString('base64url');
  if (encoded.length <= 200) return `=${encoded}`;
  return `=h${createHash('sha256').update(raw, 'utf8').digest('base64url')}`;
};

/** A stream's category: its name up to the first dash (the whole name if it has none). */
export const streamCategory = (stream: string): string => {
  const dash = stream.indexOf('-');
  return dash < 0 ? stream : stream.slice(0, dash);
};

/** The JSON bytes an append puts on the wire (the figure compared with the server's limit). */
export const serializedEvents = (events: readonly EventToAppend[]): string =>
  JSON.stringify(events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })));

export const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

/** `-1` is the revision of a missing stream, so a numeric -1 means the same as 'no_stream'. */
export const normaliseExpected = (expected: ExpectedRevision): ExpectedRevision =>
  expected === -1 ? 'no_stream' : expected;

/** Whether `actual` (-1 when missing) satisfies `expected`. */
export const revisionMatches = (expected: ExpectedRevision, actual: number): boolean => {
  const e = normaliseExpected(expected);
  if (e === 'any') return true;
  if (e === 'no_stream') return actual === -1;
  if (e === 'exists') return actual >= 0;
  return actual === e;
};

export const sameIds = (a: readonly { id: string }[], b: readonly { id: string }[]): boolean =>
  a.length === b.length && a.every((e, i) => e.id === b[i]?.id);

export const assertValidAppend = (stream: string, events: readonly EventToAppend[]): void => {
  if (stream.length === 0) throw new TypeError('stream name must not be empty');
  if (events.length === 0) throw new TypeError(`append to ${stream} has no events`);
};

/**
 * A `Following` of a loop that resolves with why it stopped (or throws it).
 * `stop` asks the loop to end; an end is reported in `ended` only when
 * nobody asked for it. A loop that ends by itself (a throwing callback, a
 * failed subscription) is stopped too, so the store lets go of what it holds
 * for it: a subscription it would keep feeding (a memory mailbox grows, an
 * EventStoreDB subscription stays open), an entry in its set of followings.
 */
export function followingOf(running: Promise<Error>, stop: () => unknown): Following {
  let closed = false;
  const settled = running.catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  void settled
    .then(async () => {
      if (!closed) await stop();
    })
    .catch(() => {});
  return {
    ended: settled.then((why) => (closed ? new Promise<never>(() => undefined) : why)),
    close: async () => {
      closed = true;
      await stop();
      await settled;
    },
  };
}

/**
 * `followAppends` through a subscription from the log's end, for a store
 * that is handed the log as a stream of events anyway (memory,
 * EventStoreDB): the events are gathered into their appends and each is
 * handed over once its last event has come.
 */
export function followThrough(
  subscription: Subscription,
  onAppend: (events: readonly RecordedEvent[]) => void,
): Following {
  const running = (async () => {
    let append: RecordedEvent[] = [];
    for await (const event of subscription) {
      append.push(event);
      if (event.lastInAppend === false) continue;
      const whole = append;
      append = [];
      onAppend(whole);
    }
    return new Error('the subscription following the log ended');
  })();
  return followingOf(running, () => subscription.close());
}

/**
 * The followings a store handed out and that are still open. At the store's
 * close they are closed as their owners would close them, so that none
 * reports an end (the port: never after close), where closing the
 * subscriptions under them would.
 */
export class OpenFollowings {
  private readonly open = new Set<Following>();

  track(inner: Following): Following {
    const following: Following = {
      ended: inner.ended,
      close: async () => {
        this.open.delete(following);
        await inner.close();
      },
    };
    this.open.add(following);
    // One that ended by itself (its callback threw) has nothing left for close to stop.
    void inner.ended.then(() => this.open.delete(following));
    return following;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open].map((f) => f.close()));
  }
}

/**
 * A tiny single-consumer queue that lets a push source feed an async iterator.
 * `room()` lets the source wait while the reader is behind, so a slow
 * subscriber does not make the whole log pile up in memory.
 */
export class Mailbox<T> {
  private readonly items: T[] = [];
  private waiter: (() => void) | undefined;
  private roomWaiters: (() => void)[] = [];
  private done = false;
  private failure: unknown;

  constructor(private readonly highWater = 1024) {}

  get size(): number {
    return this.items.length;
  }
  get full(): boolean {
    return this.items.length >= this.highWater && !this.done;
  }
  /** Resolves once the reader has taken the queue below half its high-water mark (or it ended). */
  room(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }
  private release(): void {
    if (this.roomWaiters.length === 0) return;
    if (this.items.length > this.highWater / 2 && !this.done) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  push(item: T): void {
    this.items.push(item);
    this.wake();
  }
  end(error?: unknown): void {
    this.done = true;
    this.failure = error;
    this.wake();
    this.release();
  }
  get closed(): boolean {
    return this.done;
  }
  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
  async *drain(): AsyncGenerator<T> {
    for (;;) {
      const next = this.items.shift();
      if (next !== undefined) {
        this.release();
        yield next;
        continue;
      }
      if (this.done) {
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
  }
}

/** A work queue's options with their defaults; the name is checked because adapters name durable things after it. */
export const workQueueSettings = (options: WorkQueueOptions) => {
  const name = options.name ?? 'follow-ups';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name))
    throw new TypeError(`a work queue name is 1-64 letters, digits, '_' or '-', got ${JSON.stringify(name)}`);
  if (options.types.length === 0) throw new TypeError(`work queue ${name} asks for no event types`);
  if (options.categories?.length === 0)
    throw new TypeError(`work queue ${name} asks for no stream categories`);
  const types = new Set(options.types);
  const categories = options.categories ? new Set(options.categories) : undefined;
  return {
    name,
    categories,
    /** Whether an event belongs in an item of this queue. */
    wants: (event: { readonly type: string; readonly stream: string }): boolean =>
      types.has(event.type) && (!categories || categories.has(streamCategory(event.stream))),
    ackWaitMs: options.ackWaitMs ?? 30_000,
    maxAttempts: options.maxAttempts ?? 10,
    maxInFlight: options.maxInFlight ?? 1000,
    onParked: options.onParked ?? (() => {}),
  };
};

/**
 * Guards an item's three ways out so that exactly one of them runs; the
 * second settle is a programming error. A retry on the last allowed attempt
 * parks instead, so an item that keeps failing stops circulating.
 */
export const settleable = (
  position: Position,
  attempt: number,
  maxAttempts: number,
  ways: {
    ack(): Promise<void>;
    retryLater(delayMs: number): Promise<void>;
    park(reason: string): Promise<void>;
  },
): Pick<WorkItem, 'ack' | 'retryLater' | 'park'> => {
  let settled = false;
  const once = <A extends unknown[]>(f: (...args: A) => Promise<void>) => {
    return async (...args: A) => {
      if (settled) throw new AlreadySettled(position);
      settled = true;
      await f(...args);
    };
  };
  const retry = once((delayMs: number) =>
    attempt >= maxAttempts ? ways.park(`still failing after ${attempt} attempts`) : ways.retryLater(delayMs),
  );
  return {
    ack: once(ways.ack),
    park: once(ways.park),
    async retryLater(delayMs: number) {
      if (!Number.isFinite(delayMs) || delayMs < 0)
        throw new TypeError(`retryLater needs a delay in ms >= 0, got ${String(delayMs)}`);
      await retry(delayMs);
    },
  };
};
