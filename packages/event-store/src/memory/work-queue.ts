// The in-process work queue: the reference behaviour of the port. It follows
// any EventStore from the start of its log; its state (what is done, parked,
// waiting) lives as long as the store object, so a queue closed and opened
// again on the same store is a restarted worker, and two queues of one name
// on one store are two workers sharing the work.
import type {
  EventStore,
  ParkedWork,
  Position,
  RecordedEvent,
  Subscription,
  WorkConsumer,
  WorkItem,
  WorkQueue,
  WorkQueueOptions,
} from '../port.ts';
import { settleable, workQueueSettings } from '../shared.ts';

interface Pending {
  readonly position: Position;
  readonly events: readonly RecordedEvent[];
  attempt: number;
  timer?: ReturnType<typeof setTimeout>;
  /** Counted in the queue's items in flight: from its first delivery until it is acked or parked. */
  holdsPlace?: boolean;
  /** Acked or parked: if it is still queued to be handed out again (its ack wait ran out first), it is dropped there. */
  done?: boolean;
}

/**
 * A consumer's wait for an item, woken by a new item, a freed place, or
 * the consumer's close. Each wait leaves nothing behind once woken: a
 * consumer that waits before every item holds no more after 100k of them.
 */
class Waiter {
  stopped = false;
  // A set: a consumer iterated more than once has a wait per iteration, and close ends them all.
  private readonly resolvers = new Set<() => void>();
  wait(): Promise<void> {
    return new Promise((resolve) => this.resolvers.add(resolve));
  }
  wake(): void {
    for (const resolve of this.resolvers) resolve();
    this.resolvers.clear();
  }
}

class QueueState {
  /** Appends never handed out yet, in log order: each needs a place in flight. */
  private readonly fresh: Pending[] = [];
  /** Items due again (retried, or not settled in time): they hold their place already. */
  private readonly again: Pending[] = [];
  readonly parked: ParkedWork[] = [];
  private readonly waiting = new Set<Waiter>();
  /** Items handed out and not yet acked or parked, over every consumer of the queue. */
  private inFlight = 0;
  private subscription: Subscription | undefined;
  private following: Promise<void> | undefined;
  /** The last append read from the log: a reopened queue follows on from here. */
  private seen: Position = 0;
  private users = 0;

  constructor(
    private readonly store: EventStore,
    readonly settings: ReturnType<typeof workQueueSettings>,
  ) {}

  open(): void {
    if (this.users++ > 0) return;
    const subscription = this.store.subscribeAll({ from: this.seen });
    this.subscription = subscription;
    this.following = (async () => {
      let group: RecordedEvent[] = [];
      for await (const event of subscription) {
        group.push(event);
        if (event.lastInAppend === false) continue;
        const wanted = group.filter(this.settings.wants);
        group = [];
        this.seen = event.position;
        if (wanted.length > 0) {
          this.fresh.push({ position: event.position, events: wanted, attempt: 0 });
          this.wakeAll();
        }
      }
    })().catch(() => undefined);
  }

  async release(): Promise<void> {
    if (--this.users > 0) return;
    await this.subscription?.close();
    await this.following;
  }

  private wakeAll(): void {
    for (const waiter of this.waiting) waiter.wake();
  }

  /**
   * The next item to hand out: one due again first (it has its place), else
   * a fresh one while fewer than `maxInFlight` are out. As on JetStream
   * (max_ack_pending), an item keeps its place while it waits for a retry.
   */
  private next(): Pending | undefined {
    for (;;) {
      const item = this.again.shift();
      if (!item) break;
      if (!item.done) return item;
    }
    if (this.inFlight >= this.settings.maxInFlight) return undefined;
    const item = this.fresh.shift();
    if (item) {
      item.holdsPlace = true;
      this.inFlight++;
    }
    return item;
  }

  /** Waits until an item can be handed out, or until the waiter is stopped (then undefined). */
  async take(waiter: Waiter): Promise<Pending | undefined> {
    for (;;) {
      if (waiter.stopped) return undefined;
      const next = this.next();
      if (next) return next;
      this.waiting.add(waiter);
      await waiter.wait();
      this.waiting.delete(waiter);
    }
  }

  stop(waiter: Waiter): void {
    waiter.stopped = true;
    waiter.wake();
  }

  later(item: Pending, delayMs: number): void {
    clearTimeout(item.timer);
    item.timer = setTimeout(() => {
      this.again.push(item);
      this.wakeAll();
    }, delayMs);
    item.timer.unref?.();
  }

  /** The item is settled for good: its place goes to the next fresh item. */
  finish(item: Pending): void {
    clearTimeout(item.timer);
    item.done = true;
    if (!item.holdsPlace) return;
    item.holdsPlace = false;
    this.inFlight--;
    this.wakeAll();
  }

  park(item: Pending, reason: string, attempts: number): ParkedWork {
    this.finish(item);
    const parked: ParkedWork = {
      position: item.position,
      events: structuredClone(item.events),
      reason,
      attempts,
      parkedAt: new Date().toISOString(),
    };
    this.parked.push(parked);
    return parked;
  }
}

const states = new WeakMap<EventStore, Map<string, QueueState>>();

export function memoryWorkQueue(store: EventStore, options: WorkQueueOptions): WorkQueue {
  const settings = workQueueSettings(options);
  const byName = states.get(store) ?? new Map<string, QueueState>();
  states.set(store, byName);
  const state = byName.get(settings.name) ?? new QueueState(store, settings);
  byName.set(settings.name, state);
  state.open();
  const consumers = new Set<WorkConsumer>();
  let closed = false;

  const deliver = (item: Pending): WorkItem | undefined => {
    if (item.attempt >= settings.maxAttempts) {
      // Delivered maxAttempts times and never settled: parked with that count, as JetStream parks it.
      const parked = state.park(item, `not settled after ${settings.maxAttempts} deliveries`, item.attempt);
      // A copy: what the caller does with it must not change what listParked shows.
      settings.onParked(structuredClone(parked));
      return undefined;
    }
    item.attempt++;
    // Unsettled after the ack wait (its worker died or hangs): handed out again.
    state.later(item, settings.ackWaitMs);
    const attempt = item.attempt;
    return {
      position: item.position,
      events: structuredClone(item.events),
      attempt,
      ...settleable(item.position, attempt, settings.maxAttempts, {
        async ack() {
          state.finish(item);
        },
        async retryLater(delayMs) {
          state.later(item, delayMs);
        },
        async park(reason) {
          state.park(item, reason, attempt);
        },
      }),
    };
  };

  return {
    consume() {
      const waiter = new Waiter();
      const consumer: WorkConsumer = {
        async *[Symbol.asyncIterator]() {
          for (;;) {
            const next = await state.take(waiter);
            if (!next) return;
            const item = deliver(next);
            if (item) yield item;
          }
        },
        async close() {
          consumers.delete(consumer);
          state.stop(waiter);
        },
      };
      consumers.add(consumer);
      return consumer;
    },
    async listParked() {
      return structuredClone(state.parked);
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...consumers].map((c) => c.close()));
      await state.release();
    },
  };
}
