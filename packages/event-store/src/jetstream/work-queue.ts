// The JetStream work queue: a durable pull consumer on the events stream of a
// prefix, shared by every worker that opens the queue (each message goes to
// one of them), explicit acks, `nak(delay)` for retries, and a stream of
// parked items beside it. See docs/event-store.md, "Work queues".
import {
  AckPolicy,
  type ConsumerInfo,
  DeliverPolicy,
  type JetStreamManager,
  JSONCodec,
  type JsMsg,
  type NatsConnection,
  type NatsError,
  nanos,
} from 'nats';
import type {
  ParkedWork,
  Position,
  RecordedEvent,
  WorkConsumer,
  WorkItem,
  WorkQueue,
  WorkQueueOptions,
} from '../port.ts';
import { Mailbox, settleable, workQueueSettings } from '../shared.ts';
import {
  assertPrefix,
  categorySubject,
  eventsStreamName,
  eventsSubjectRoot,
  parkedStreamName,
  parkedSubject,
  workConsumerName,
} from './layout.ts';
import { pullBytes } from './pull-size.ts';
import { ensureEventsStream, recordedEventsOf } from './store.ts';

export interface JetStreamWorkQueueOptions extends WorkQueueOptions {
  readonly prefix: string;
  readonly replicas: number;
  /**
   * The server removes a durable nobody has pulled from for this long
   * (`inactive_threshold`). Default 7 days. See `forgetIdleAfterMs` below.
   */
  readonly forgetIdleAfterMs?: number;
}

/**
 * How long a durable nobody pulls from is kept. Every worker taking items
 * renews its pull at least every 30 s, so the server never removes a durable
 * someone takes from, whatever version asks for it: this is how the durable
 * of a category a release no longer answers goes away, once the last worker
 * of the release before has stopped. (The workers once removed such
 * durables themselves, at start, when no pull was waiting; but a worker
 * between two pulls has none waiting, and during a rolling upgrade an older
 * worker's start then removed a durable the newer ones were taking from.) A
 * deployment stopped for longer than this starts its durables afresh, which
 * hands the log's past out once more: idempotent follow-ups make that cost
 * time, not correctness.
 */
const defaultForgetIdleAfterMs = 7 * 24 * 60 * 60 * 1000;

const parkedCodec = JSONCodec<ParkedWork>();
const isNotFound = (e: unknown): boolean =>
  (e as NatsError | undefined)?.code === '404' || /not found/i.test(String(e));
/** Messages one worker pulls ahead; the server's max_ack_pending bounds all workers together. */
const pullBatch = 64;

export async function openJetStreamWorkQueue(
  nc: NatsConnection,
  options: JetStreamWorkQueueOptions,
): Promise<WorkQueue> {
  const settings = workQueueSettings(options);
  const prefix = assertPrefix(options.prefix);
  const jsm = await nc.jetstreamManager();
  const js = nc.jetstream();
  const stream = eventsStreamName(prefix);
  // The store normally made the events stream; a queue opened first makes it (without touching an existing one).
  try {
    await jsm.streams.info(stream);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await ensureEventsStream(jsm, { prefix, replicas: options.replicas });
  }
  const parkedStream = parkedStreamName(prefix);
  const parkedOn = parkedSubject(prefix, settings.name);
  try {
    await jsm.streams.info(parkedStream);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await jsm.streams.add({
      name: parkedStream,
      subjects: [`${prefix}.parked.*`],
      num_replicas: options.replicas,
      allow_direct: true,
    });
  }

  // One durable consumer per category asked for (nats-server 2.9 filters a
  // consumer on one subject), or one over every stream when none is named.
  const durables = settings.categories
    ? [...settings.categories].map((category) => ({
        name: workConsumerName(prefix, `${settings.name}_${category}`),
        filter: `${categorySubject(prefix, category)}.>`,
      }))
    : [{ name: workConsumerName(prefix, settings.name), filter: `${eventsSubjectRoot(prefix)}.>` }];
  const mutable = {
    ack_wait: nanos(settings.ackWaitMs),
    max_ack_pending: settings.maxInFlight,
    // The adapter parks an item after maxAttempts itself; the server never drops one silently.
    max_deliver: -1,
    inactive_threshold: nanos(options.forgetIdleAfterMs ?? defaultForgetIdleAfterMs),
  };
  const ensureDurable = async (durable: { name: string; filter: string }): Promise<void> => {
    try {
      const info = await jsm.consumers.info(stream, durable.name);
      if (
        info.config.ack_wait !== mutable.ack_wait ||
        info.config.max_ack_pending !== mutable.max_ack_pending ||
        info.config.inactive_threshold !== mutable.inactive_threshold
      )
        await jsm.consumers.update(stream, durable.name, mutable);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      // Deliver policy all: on the first start of a queue over an existing log,
      // every matching append of the past is handed out once. Follow-ups are
      // idempotent, so that costs time, never correctness; a later start
      // resumes where the durable consumer is. Two workers making it at once
      // both succeed: the configurations are the same.
      await jsm.consumers.add(stream, {
        durable_name: durable.name,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: durable.filter,
        ...mutable,
      });
    }
  };
  for (const durable of durables) await ensureDurable(durable);

  // This queue's durables of categories it no longer asks for (no reactor
  // answers their events now) are left to workers of another version that
  // may still take from them; made before durables carried a threshold, they
  // get one, so the server forgets them once the last such worker is gone.
  if (settings.categories) {
    const wanted = new Set(durables.map((d) => d.name));
    // Ours: filtered on one category's appends and named as this queue names
    // that category's durable (a queue named `<name>_x` has durables that begin alike).
    const root = `${eventsSubjectRoot(prefix)}.`;
    const isOurs = (info: ConsumerInfo) => {
      const filter = info.config.filter_subject ?? '';
      if (!filter.startsWith(root) || !filter.endsWith('.>')) return false;
      const category = filter.slice(root.length, -2);
      return (
        !category.includes('.') && info.name === workConsumerName(prefix, `${settings.name}_${category}`)
      );
    };
    for await (const info of jsm.consumers.list(stream))
      if (isOurs(info) && !wanted.has(info.name) && !info.config.inactive_threshold)
        await jsm.consumers
          .update(stream, info.name, { inactive_threshold: mutable.inactive_threshold })
          .catch((e) => {
            // Forgotten meanwhile: nothing left to mark.
            if (!isNotFound(e)) throw e;
          });
  }

  const park = async (m: JsMsg, events: readonly RecordedEvent[], attempts: number, reason: string) => {
    const entry: ParkedWork = {
      position: m.seq,
      events,
      reason,
      attempts,
      parkedAt: new Date().toISOString(),
    };
    // Written before the ack: a crash in between parks it twice (the msg id
    // folds repeats inside the window; listParked folds the rest), never zero times.
    await js.publish(parkedOn, parkedCodec.encode(entry), { msgID: `${settings.name}.${m.seq}` });
    await m.ackAck();
    return entry;
  };

  const itemOf = async (m: JsMsg): Promise<WorkItem | undefined> => {
    const attempt = m.info.deliveryCount;
    let events: RecordedEvent[];
    try {
      events = recordedEventsOf(m.seq, () => m.headers, m.data).filter(settings.wants);
    } catch (error) {
      // Not an append (something else published on the events subjects, or
      // a damaged message): it would come back first on every delivery and
      // hold up every follow-up behind it. Parked, with nothing to run.
      settings.onParked(await park(m, [], attempt, `not readable as an append: ${String(error)}`));
      return undefined;
    }
    if (events.length === 0) {
      m.ack();
      return undefined;
    }
    if (attempt > settings.maxAttempts) {
      settings.onParked(
        await park(m, events, attempt - 1, `not settled after ${settings.maxAttempts} deliveries`),
      );
      return undefined;
    }
    return {
      position: m.seq,
      events,
      attempt,
      ...settleable(m.seq, attempt, settings.maxAttempts, {
        // Not confirmed (no double ack): waiting for the server's answer cost
        // a reply message and a request per item, and an ack lost with the
        // connection only hands the item out once more after the ack wait,
        // which an idempotent follow-up absorbs. Parking stays confirmed.
        async ack() {
          m.ack();
        },
        async retryLater(delayMs) {
          m.nak(delayMs);
        },
        park: async (reason) => {
          await park(m, events, attempt, reason);
        },
      }),
    };
  };

  const consumers = new Set<WorkConsumer>();

  const consume = (): WorkConsumer => {
    const box = new Mailbox<WorkItem>(pullBatch);
    const stops = new Set<() => void>();
    // One pump per durable consumer, all into the same mailbox.
    const pumpOne = async (durable: { name: string; filter: string }) => {
      // Made anew if it is gone (an operator removed it, or the server after
      // a long stop): a pump of a missing durable would wait for ever.
      await ensureDurable(durable);
      const consumer = await js.consumers.get(stream, durable.name);
      // A durable removed under a running pump ends it with an error (nats.js
      // would otherwise go on asking it, silently, every 30 s): the caller
      // takes items again, and this start makes the durable anew.
      const messages = await consumer.consume({
        max_messages: pullBatch,
        max_bytes: pullBytes(nc),
        abort_on_missing_resource: true,
      });
      const stop = () => messages.stop();
      stops.add(stop);
      if (box.closed) stop();
      for await (const m of messages) {
        if (box.closed) break;
        const item = await itemOf(m);
        if (item) box.push(item);
        await box.room();
      }
    };
    const pumps = durables.map((d) => pumpOne(d));
    // The first pump to fail ends the mailbox with its error (the others are stopped then).
    const pump = Promise.all(pumps).then(
      () => box.end(),
      (e: unknown) => {
        box.end(box.closed ? undefined : e);
        for (const stop of stops) stop();
      },
    );
    const consumer: WorkConsumer = {
      [Symbol.asyncIterator]: () => box.drain(),
      async close() {
        consumers.delete(consumer);
        box.end();
        for (const stop of stops) stop();
        await Promise.allSettled(pumps);
        await pump;
      },
    };
    consumers.add(consumer);
    return consumer;
  };

  const listParked = () => readParked(jsm, parkedStream, parkedOn);

  return {
    consume,
    listParked,
    async close() {
      // The caller owns the connection; the durable consumer stays for the next start.
      await Promise.all([...consumers].map((c) => c.close()));
    },
  };
}

/**
 * The parked items of a prefix's work queue, read-only: no consumer is made
 * or changed, nothing is created (an auditor must leave the deployment as it
 * found it). A prefix whose queue never parked anything, or never ran, has
 * none. The workers' own `WorkQueue.listParked()` reads the same way.
 */
export async function listParkedWork(
  nc: NatsConnection,
  options: { readonly prefix: string; readonly name?: string },
): Promise<ParkedWork[]> {
  const prefix = assertPrefix(options.prefix);
  const { name } = workQueueSettings({ types: ['-'], ...(options.name ? { name: options.name } : {}) });
  return readParked(await nc.jetstreamManager(), parkedStreamName(prefix), parkedSubject(prefix, name));
}

async function readParked(
  jsm: JetStreamManager,
  parkedStream: string,
  parkedOn: string,
): Promise<ParkedWork[]> {
  let last: number;
  try {
    last = (await jsm.streams.getMessage(parkedStream, { last_by_subj: parkedOn })).seq;
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
  // One get per parked item (an operator's listing, not a hot path); a
  // consumer filtered by subject would need nats-server 2.10 on this stream.
  const byPosition = new Map<Position, ParkedWork>();
  for (let seq = 1; seq <= last; ) {
    // The server's STREAM.MSG.GET takes next_by_subj; nats.js's type only lists seq and last_by_subj.
    const query = { next_by_subj: parkedOn, seq } as unknown as { seq: number };
    const m = await jsm.streams.getMessage(parkedStream, query);
    const entry = parkedCodec.decode(m.data);
    if (!byPosition.has(entry.position)) byPosition.set(entry.position, entry);
    seq = m.seq + 1;
  }
  return [...byPosition.values()];
}
