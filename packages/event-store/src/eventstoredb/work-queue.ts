// The EventStoreDB work queue: a persistent subscription to $all with a
// consumer group, the server's own way to share events among consumers, time
// out unacknowledged ones and retry them. Not run here (no EventStoreDB on
// this machine): type-checked, and its contract run waits for a server.
import {
  EventStoreDBClient,
  excludeSystemEvents,
  type JSONType,
  jsonEvent,
  PersistentSubscriptionExistsError,
  type PersistentSubscriptionToAll,
  type PersistentSubscriptionToAllResolvedEvent,
  PINNED,
  persistentSubscriptionToAllSettingsFromDefaults,
  RETRY,
  START,
  StreamNotFoundError,
  UNBOUNDED,
} from '@eventstore/db-client';
import type {
  ParkedWork,
  RecordedEvent,
  WorkConsumer,
  WorkItem,
  WorkQueue,
  WorkQueueOptions,
} from '../port.ts';
import { Mailbox, settleable, workQueueSettings } from '../shared.ts';
import { AppendGatherer } from './appends.ts';
import { isSystem, toRecorded } from './store.ts';

export interface EventStoreDbWorkQueueOptions extends WorkQueueOptions {
  /** Prefix of the consumer group and the parked stream (tests isolate with it). Default `camledger_`. */
  readonly prefix?: string;
}

type Resolved = PersistentSubscriptionToAllResolvedEvent;

export async function openEventStoreDbWorkQueue(
  clientOrConnectionString: EventStoreDBClient | string,
  options: EventStoreDbWorkQueueOptions,
): Promise<WorkQueue> {
  const settings = workQueueSettings(options);
  const owns = typeof clientOrConnectionString === 'string';
  const client = owns
    ? EventStoreDBClient.connectionString(clientOrConnectionString)
    : clientOrConnectionString;
  const prefix = options.prefix ?? 'camledger_';
  const group = `${prefix}${settings.name}`;
  // Our own dead letters, with the reason; starts with camledger_ so readers of $all skip it.
  const parkedStream = `camledger_parked-${group}`;

  const subscriptionSettings = persistentSubscriptionToAllSettingsFromDefaults({
    // From the start of the log on first creation, like the JetStream queue (follow-ups are idempotent).
    startFrom: START,
    messageTimeout: settings.ackWaitMs,
    // Past this the server parks the event itself (listed below with the
    // others). Set above ours: the queue parks first, and says so to onParked.
    maxRetryCount: settings.maxAttempts + 2,
    // Pinned keeps the events of one stream, so of one append, on one consumer.
    consumerStrategyName: PINNED,
    maxSubscriberCount: UNBOUNDED,
  });
  try {
    await client.createPersistentSubscriptionToAll(group, subscriptionSettings, {
      filter: excludeSystemEvents(),
    });
  } catch (e) {
    // Made by another worker, or an earlier start: used as it is. Updating it
    // here would drop every consumer connected to it (the server restarts a
    // subscription it updates), at each start of each worker.
    if (!(e instanceof PersistentSubscriptionExistsError)) throw e;
  }

  const writeParked = async (entry: ParkedWork) => {
    await client.appendToStream(
      parkedStream,
      jsonEvent({ type: 'WorkParked', data: entry as unknown as JSONType }),
    );
  };

  const consumers = new Set<WorkConsumer>();

  const consume = (): WorkConsumer => {
    const box = new Mailbox<WorkItem>(settings.maxInFlight);
    // The server sends at most bufferSize events unacknowledged: as many as
    // the queue may hold in flight (an append of more events than this would
    // never arrive whole).
    const sub: PersistentSubscriptionToAll = client.subscribeToPersistentSubscriptionToAll(group, {
      bufferSize: settings.maxInFlight,
    });
    // The server sends events one by one; an item is one append, so events
    // wait here until the last of their append (marked by the store) arrives.
    const appends = new AppendGatherer<Resolved>();
    // An ack that fails (the subscription dropped) is retried by the server's timeout.
    const ack = (...events: Resolved[]) => sub.ack(...events).catch(() => undefined);
    // Items held for a later retry: cleared on close, so a stopping worker
    // does not wait out their delays (the server retries them after its ack
    // timeout instead).
    const held = new Set<ReturnType<typeof setTimeout>>();

    const itemOf = (gathered: { recorded: RecordedEvent; with: Resolved }[]): WorkItem | undefined => {
      const all = gathered.map((g) => g.with);
      const events = gathered.map((g) => g.recorded).filter(settings.wants);
      if (events.length === 0) {
        void ack(...all);
        return undefined;
      }
      // The append's position: every gathered event carries its last one's.
      const position = events[0]!.position;
      const attempt = Math.max(...all.map((r) => r.retryCount)) + 1;
      const park = async (reason: string) => {
        const entry = { position, events, reason, attempts: attempt, parkedAt: new Date().toISOString() };
        await writeParked(entry);
        await sub.ack(...all);
        return entry;
      };
      if (attempt > settings.maxAttempts) {
        // Delivered once more than allowed and nobody settled it: parked here, as the other queues do.
        void park(`not settled after ${settings.maxAttempts} deliveries`).then(
          settings.onParked,
          () => undefined,
        );
        return undefined;
      }
      return {
        position,
        events,
        attempt,
        ...settleable(position, attempt, settings.maxAttempts, {
          ack: () => sub.ack(...all),
          async retryLater(delayMs) {
            // The server has no delayed retry: the item is held here, then handed back.
            // A delay longer than the ack wait lets the server's timeout retry it first.
            const timer = setTimeout(() => {
              held.delete(timer);
              void sub.nack(RETRY, 'retry later', ...all).catch(() => undefined);
            }, delayMs);
            held.add(timer);
          },
          park: async (reason) => {
            await park(reason);
          },
        }),
      };
    };

    sub.on('data', (resolved: Resolved) => {
      const e = resolved.event;
      if (!e || isSystem(e.streamId, e.type)) {
        void ack(resolved);
        return;
      }
      const whole = appends.add(toRecorded(e), resolved);
      if (!whole) return;
      const item = itemOf(whole);
      if (item) box.push(item);
      if (box.full) {
        sub.pause();
        void box.room().then(() => sub.resume());
      }
    });
    sub.on('error', (error: Error) => box.end(error));
    sub.on('end', () => box.end());

    const consumer: WorkConsumer = {
      [Symbol.asyncIterator]: () => box.drain(),
      async close() {
        consumers.delete(consumer);
        for (const timer of held) clearTimeout(timer);
        held.clear();
        box.end();
        await sub.unsubscribe();
      },
    };
    consumers.add(consumer);
    return consumer;
  };

  const readStream = async (stream: string, resolveLinkTos: boolean) => {
    const out: { data: unknown; event: RecordedEvent | undefined; at: string }[] = [];
    try {
      for await (const r of client.readStream(stream, { resolveLinkTos })) {
        if (!r.event) continue;
        out.push({
          data: r.event.data,
          event: r.link ? toRecorded(r.event) : undefined,
          at: (r.link ?? r.event).created.toISOString(),
        });
      }
    } catch (e) {
      if (!(e instanceof StreamNotFoundError)) throw e;
    }
    return out;
  };

  return {
    consume,
    async listParked() {
      const ours = (await readStream(parkedStream, false)).map((x) => x.data as ParkedWork);
      // What the server parked itself after maxRetryCount (links to the events).
      const theirs = (await readStream(`$persistentsubscription-$all::${group}-parked`, true)).flatMap(
        (x): ParkedWork[] =>
          x.event
            ? [
                {
                  position: x.event.position,
                  events: [x.event],
                  reason: `parked by EventStoreDB after ${settings.maxAttempts} retries`,
                  attempts: settings.maxAttempts + 1,
                  parkedAt: x.at,
                },
              ]
            : [],
      );
      return [...ours, ...theirs];
    },
    async close() {
      await Promise.all([...consumers].map((c) => c.close()));
      if (owns) await client.dispose();
    },
  };
}
