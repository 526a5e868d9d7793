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
}

class QueueState {
  readonly ready: Pending[] = [];
  readonly parked: ParkedWork[] = [];
  private readonly waiters = new Set<() => void>();
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
        if (wanted.length > 0) this.makeReady({ position: event.position, events: wanted, attempt: 0 });
      }
    })().catch(() => undefined);
  }

  async release(): Promise<void> {
    if (--this.users > 0) return;
    await this.subscription?.close();
    await this.following;
  }

  makeReady(item: Pending): void {
    this.ready.push(item);
    for (const wake of [...this.waiters]) wake();
  }

  /** Waits until an item is ready (or `stopped` resolves, then undefined). */
  async take(stopped: Promise<void>): Promise<Pending | undefined> {
    for (;;) {
      const next = this.ready.shift();
      if (next) return next;
      let wake!: () => void;
      const woken = new Promise<'woken'>((resolve) => {
        wake = () => resolve('woken');
      });
      this.waiters.add(wake);
      const why = await Promise.race([woken, stopped.then(() => 'stopped' as const)]);
      this.waiters.delete(wake);
      if (why === 'stopped') return undefined;
    }
  }

  later(item: Pending, delayMs: number): void {
    clearTimeout(item.timer);
    item.timer = setTimeout(() => this.makeReady(item), delayMs);
    item.timer.unref?.();
  }

  park(item: Pending, reason: string): ParkedWork {
    clearTimeout(item.timer);
    const parked: ParkedWork = {
      position: item.position,
      events: structuredClone(item.events),
      reason,
      attempts: item.attempt,
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
    item.attempt++;
    if (item.attempt > settings.maxAttempts) {
      settings.onParked(state.park(item, `not settled after ${settings.maxAttempts} deliveries`));
      return undefined;
    }
    // Unsettled after the ack wait (its worker died or hangs): handed out again.
    state.later(item, settings.ackWaitMs);
    const attempt = item.attempt;
    return {
      position: item.position,
      events: structuredClone(item.events),
      attempt,
      ...settleable(item.position, attempt, settings.maxAttempts, {
        async ack() {
          clearTimeout(item.timer);
        },
        async retryLater(delayMs) {
          state.later(item, delayMs);
        },
        async park(reason) {
          state.park(item, reason);
        },
      }),
    };
  };

  return {
    consume() {
      let stop!: () => void;
      const stopped = new Promise<void>((resolve) => {
        stop = resolve;
      });
      const consumer: WorkConsumer = {
        async *[Symbol.asyncIterator]() {
          for (;;) {
            const next = await state.take(stopped);
            if (!next) return;
            const item = deliver(next);
            if (item) yield item;
          }
        },
        async close() {
          consumers.delete(consumer);
          stop();
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
