// The contract against the real NATS server (NATS_URL, default 127.0.0.1:4222),
// each test under a prefix of its own, all deleted afterwards.
import { AckPolicy, connect, headers, JSONCodec, type NatsConnection, nanos } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkpointContract,
  event,
  eventStoreContract,
  replyLogContract,
  workQueueContract,
} from '../contract/index.ts';
import type { ParkedWork } from '../port.ts';
import { jetStreamCheckpoints } from './checkpoints.ts';
import { categorySubject, eventSubject, eventsStreamName, workConsumerName } from './layout.ts';
import { deleteJetStreamNamespace } from './namespace.ts';
import { jetStreamReplyLog } from './reply-log.ts';
import { connectJetStreamStore, ensureEventsStream, UnsupportedLayout } from './store.ts';
import { openJetStreamWorkQueue } from './work-queue.ts';

let nc: NatsConnection;
const servers = process.env.NATS_URL ?? '127.0.0.1:4222';
beforeAll(async () => {
  nc = await connect({ servers });
});
afterAll(async () => {
  await nc.drain();
});

eventStoreContract('jetstream', {
  isolatesNamespaces: true,
  open: (namespace) => connectJetStreamStore(nc, { prefix: `cltest_${namespace}`, replicas: 1 }),
  async dispose(namespaces) {
    for (const ns of namespaces) await deleteJetStreamNamespace(nc, `cltest_${ns}`);
  },
});

const replyPrefixes: string[] = [];
replyLogContract('jetstream', {
  open: ({ retentionMs }) => {
    const prefix = `cltest_replies_${Date.now().toString(36)}_${replyPrefixes.length}`;
    replyPrefixes.push(prefix);
    return jetStreamReplyLog(nc, { prefix, replicas: 1, retentionMs, replicateKeys: {} });
  },
  async dispose() {
    for (const p of replyPrefixes) await deleteJetStreamNamespace(nc, p);
  },
});

const checkpointPrefix = `cltest_checkpoints_${Date.now().toString(36)}`;
checkpointContract('jetstream', {
  open: () => jetStreamCheckpoints(nc, { prefix: checkpointPrefix, replicas: 1 }),
  dispose: () => deleteJetStreamNamespace(nc, checkpointPrefix),
});

/** Runs `read` and counts the direct gets the server was asked for on the prefix's events stream meanwhile. */
async function countingGets<T>(p: string, read: () => Promise<T>): Promise<{ result: T; gets: number }> {
  let gets = 0;
  const spies = [
    `$JS.API.DIRECT.GET.${eventsStreamName(p)}`,
    `$JS.API.DIRECT.GET.${eventsStreamName(p)}.>`,
  ].map((subject) => nc.subscribe(subject, { callback: () => gets++ }));
  try {
    const result = await read();
    await nc.flush();
    return { result, gets };
  } finally {
    for (const spy of spies) spy.unsubscribe();
  }
}

/**
 * The names of the consumers on a prefix's events stream, sorted, once no
 * more than `atMost` are left (the server removes idle ones on its own
 * time), or after 15 s.
 */
async function consumersLeft(p: string, atMost: number): Promise<string[]> {
  const jsm = await nc.jetstreamManager();
  const names = async () => {
    const found: string[] = [];
    for await (const consumer of jsm.consumers.list(eventsStreamName(p))) found.push(consumer.name);
    return found.sort();
  };
  for (let waited = 0; waited < 15_000 && (await names()).length > atMost; waited += 250)
    await new Promise((r) => setTimeout(r, 250));
  return names();
}

describe('jetstream: beyond what the contract can see', () => {
  const prefixes: string[] = [];
  const prefix = () => {
    const p = `cltest_js_${Date.now().toString(36)}_${prefixes.length}`;
    prefixes.push(p);
    return p;
  };
  afterAll(async () => {
    for (const p of prefixes) await deleteJetStreamNamespace(nc, p);
  });

  it('reads, follows and replays a log of large appends, more than a client may have pending at once', async () => {
    // 200 appends of 400 KB: 80 MB, past the 64 MiB the server lets one
    // client have in flight. A pull bounded by count alone was never whole.
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const big = 'x'.repeat(400_000);
    for (let i = 0; i < 200; i++)
      await store.append(`item-big${i}`, [event('Recorded', { big })], { expectedRevision: 'no_stream' });
    const head = await store.headPosition();
    const deadline = <T>(work: Promise<T>) =>
      Promise.race([
        work,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no progress in 40 s')), 40_000)),
      ]);

    const replayed = await deadline(
      (async () => {
        let n = 0;
        for await (const _ of store.readAll()) n++;
        return n;
      })(),
    );
    expect(replayed).toBe(200);

    const followed = await deadline(
      (async () => {
        const subscription = store.subscribeAll();
        let last = 0;
        for await (const e of subscription) {
          last = e.position;
          if (last >= head) break;
        }
        await subscription.close();
        return last;
      })(),
    );
    expect(followed).toBe(head);
  }, 120_000);

  it('hands over a large append that comes right after many small ones, to every kind of reader', async () => {
    // Pulls that ended by their count left their unused bytes counted as
    // still asked for, so each later pull asked for fewer bytes until the
    // large append fitted none: every reader stalled on it, with no error.
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const writer = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const queue = await openJetStreamWorkQueue(nc, { prefix: p, replicas: 1, types: ['Recorded'] });
    const followed: number[] = [];
    const following = store.followAppends((events) => followed.push(events[0]!.position));
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        writer.append(`item-small${i}`, [event('Recorded', { i })], { expectedRevision: 'no_stream' }),
      ),
    );
    const big = await writer.append('item-big', [event('Recorded', { big: 'x'.repeat(100_000) })], {
      expectedRevision: 'no_stream',
    });
    const after = await writer.append('item-after', [event('Recorded')], { expectedRevision: 'no_stream' });
    const within = <T>(what: string, work: Promise<T>) =>
      Promise.race([
        work,
        new Promise<string>((resolve) => setTimeout(() => resolve(`${what}: stalled`), 15_000)),
      ]);

    const [replayed, subscribed, taken] = await Promise.all([
      within(
        'readAll',
        (async () => {
          let last = 0;
          for await (const e of store.readAll()) last = e.position;
          return last;
        })(),
      ),
      within(
        'subscribeAll',
        (async () => {
          const subscription = store.subscribeAll();
          for await (const e of subscription)
            if (e.position >= after.position) {
              await subscription.close();
              return e.position;
            }
          return 'ended';
        })(),
      ),
      within(
        'work queue',
        (async () => {
          const items = queue.consume();
          for await (const item of items) {
            await item.ack();
            if (item.position >= big.position) {
              await items.close();
              return item.position;
            }
          }
          return 'ended';
        })(),
      ),
    ]);
    expect([replayed, subscribed, taken]).toEqual([after.position, after.position, big.position]);
    for (let waited = 0; waited < 15_000 && !followed.includes(after.position); waited += 50)
      await new Promise((r) => setTimeout(r, 50));
    expect(followed.slice(-2)).toEqual([big.position, after.position]);
    await following.close();
    await queue.close();
  }, 90_000);

  it('reads the whole log to its end when its last messages, or all of them after a position, were deleted', async () => {
    // Deleting a message is the operator's remedy for a foreign one on the
    // events subjects. A read that waited for the head's sequence never ended.
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const kept = await store.append('item-a', [event('Recorded')], { expectedRevision: 'no_stream' });
    const doomed = [];
    for (const id of ['b', 'c'])
      doomed.push(await store.append(`item-${id}`, [event('Recorded')], { expectedRevision: 'no_stream' }));
    const jsm = await nc.jetstreamManager();
    for (const gone of doomed) await jsm.streams.deleteMessage(eventsStreamName(p), gone.position);
    const readAll = (from?: number) =>
      Promise.race([
        (async () => {
          const positions: number[] = [];
          for await (const e of store.readAll(from === undefined ? {} : { from })) positions.push(e.position);
          return positions;
        })(),
        new Promise<string>((resolve) => setTimeout(() => resolve('no end in 10 s'), 10_000)),
      ]);
    expect(await readAll()).toEqual([kept.position]);
    expect(await readAll(kept.position)).toEqual([]);
  }, 30_000);

  it('reads an aggregate of thousands of appends whole without waiting out a pull expiry per batch', async () => {
    // The whole-aggregate read fetches 1,024 messages at a time. A fetch
    // that ended by its count looked unfinished (bytes still "asked for")
    // and waited out its 5 s expiry: 2,500 appends took over 10 s to read.
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    for (let r = 0; r < 2_500; r++)
      await store.append('account-long', [event('Step', { r })], { expectedRevision: r - 1 });
    const reader = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const started = performance.now();
    const whole = await reader.readStream('account-long');
    const tookMs = performance.now() - started;
    expect(whole.map((e) => e.revision)).toEqual(Array.from({ length: 2_500 }, (_, r) => r));
    // Not a speed test: two expiries would be 10 s; an unstalled read is a small fraction of one.
    expect(tookMs).toBeLessThan(4_000);
  }, 120_000);

  it('reads messages written before the body carried the revision (header only) beside new ones', async () => {
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    // An append in the earlier format: the first revision only in the Cl-Rev header.
    const h = headers();
    h.set('Cl-Rev', '0');
    h.set('Cl-Last', '0');
    const old = event('Created');
    await nc
      .jetstream()
      .publish(eventSubject(p, 'item-a'), JSONCodec().encode({ stream: 'item-a', events: [old] }), {
        headers: h,
        expect: { lastSubjectSequence: 0 },
      });
    await store.append('item-a', [event('Named')], { expectedRevision: 0 });
    await store.append('item-a', [event('Moved'), event('Flagged')], { expectedRevision: 1 });
    const expected = [0, 1, 2, 3];
    expect((await store.readStream('item-a')).map((e) => e.revision)).toEqual(expected);
    const all: number[] = [];
    for await (const e of store.readAll()) all.push(e.revision);
    expect(all).toEqual(expected);
    // The new appends carry it in the body, where a reader of the whole log finds it without headers.
    const last = await (await nc.jetstreamManager()).streams.getMessage(eventsStreamName(p), {
      last_by_subj: eventSubject(p, 'item-a'),
    });
    expect(JSONCodec<{ rev?: number }>().decode(last.data).rev).toBe(2);
  });

  it('files each append under its category, and refuses to open a log written in the layout without one', async () => {
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    await store.append('item-a', [event('Created')], { expectedRevision: 'no_stream' });
    const jsm = await nc.jetstreamManager();
    const subjects = (await jsm.streams.info(eventsStreamName(p), { subjects_filter: '>' })).state.subjects;
    expect(Object.keys(subjects ?? {})).toEqual([`${p}.events.item.item-a`]);

    // A message in layout 1 (`<prefix>.events.<stream>`), as an older version wrote it.
    await nc.jetstream().publish(`${p}.events.item-b`, JSONCodec().encode({ stream: 'item-b', events: [] }));
    for (const readOnly of [false, true])
      await expect(connectJetStreamStore(nc, { prefix: p, replicas: 1, readOnly })).rejects.toBeInstanceOf(
        UnsupportedLayout,
      );
  });

  it('a queue asked for categories is never sent the appends of the others (no delivery, no ack)', async () => {
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    for (let i = 0; i < 5; i++) {
      await store.append(`account-${i}`, [event('CreditsAdded')], { expectedRevision: 'any' });
      await store.append(`folder-${i}`, [event('FolderCreated')], { expectedRevision: 'any' });
    }
    const queue = await openJetStreamWorkQueue(nc, {
      prefix: p,
      replicas: 1,
      types: ['FolderCreated'],
      categories: ['folder', 'item'],
    });
    const consumer = queue.consume();
    let taken = 0;
    for await (const item of consumer) {
      await item.ack();
      if (++taken === 5) break;
    }
    await queue.close();
    const jsm = await nc.jetstreamManager();
    const delivered = new Map<string, number>();
    for await (const info of jsm.consumers.list(eventsStreamName(p)))
      delivered.set(info.config.filter_subject ?? '', info.delivered.consumer_seq);
    expect(Object.fromEntries(delivered)).toEqual({ [`${p}.events.folder.>`]: 5, [`${p}.events.item.>`]: 0 });
  });

  it('a read of the whole log leaves no consumer behind (an audit creates nothing that stays)', async () => {
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    for (let i = 0; i < 5; i++)
      await store.append(`item-r${i}`, [event('Step')], { expectedRevision: 'any' });
    const read = [];
    for await (const e of store.readAll()) read.push(e);
    expect(read).toHaveLength(5);
    const jsm = await nc.jetstreamManager();
    expect((await jsm.streams.info(eventsStreamName(p))).state.consumer_count).toBe(0);
    await store.close();
  });

  it('a foreign message stops a read naming its position; an event with null metadata reads as having none', async () => {
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const js = nc.jetstream();
    const damaged = await js.publish(
      eventSubject(p, 'item-damaged'),
      JSON.stringify({
        stream: 'item-damaged',
        rev: 0,
        events: [{ id: 'a', type: 'Step', data: {}, metadata: null }],
      }),
    );
    const read = async () => {
      const events = [];
      for await (const e of store.readAll()) events.push(e);
      return events;
    };
    expect((await read())[0]).toMatchObject({ position: damaged.seq, metadata: {} });
    const foreign = await js.publish(eventSubject(p, 'item-foreign'), 'hello');
    await expect(read()).rejects.toThrow(`message ${foreign.seq} of the events stream is not an append`);
    await store.close();
  });

  it('a message on the events subjects that is not an append is parked at once, and the appends behind it are handed out', async () => {
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const told: ParkedWork[] = [];
    const queue = await openJetStreamWorkQueue(nc, {
      prefix: p,
      replicas: 1,
      types: ['FolderCreated'],
      categories: ['folder'],
      onParked: (parked) => told.push(parked),
    });
    const js = nc.jetstream();
    const junk = await js.publish(`${p}.events.folder.junk`, new TextEncoder().encode('{"not":"an append"}'));
    const appended = await store.append('folder-after', [event('FolderCreated')], {
      expectedRevision: 'any',
    });
    const consumer = queue.consume();
    const [item] = await (async () => {
      for await (const next of consumer) return [next];
      return [];
    })();
    expect(item?.position).toBe(appended.position);
    await item?.ack();
    expect(told.map((t) => [t.position, t.events.length])).toEqual([[junk.seq, 0]]);
    expect(told[0]?.reason).toMatch(/^not readable as an append/);
    expect((await queue.listParked()).map((t) => t.position)).toEqual([junk.seq]);
    await queue.close();
  });

  it('leaves out of an othersOnly follower the appends made through the same store object, even one whose delivery overtakes its ack', async () => {
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const other = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const followed: string[] = [];
    const everything: string[] = [];
    const follower = store.followAppends((events) => followed.push(events[0]!.stream), { othersOnly: true });
    const all = store.followAppends((events) => everything.push(events[0]!.stream));
    await new Promise((r) => setTimeout(r, 300));
    // Twenty own appends at once: some deliveries come before their acks.
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) =>
        store.append(`account-own${i}`, [event('Own')], { expectedRevision: 'no_stream' }),
      ),
      ...Array.from({ length: 3 }, () =>
        other.append('account-theirs', [event('Theirs')], { expectedRevision: 'any' }),
      ),
    ]);
    // The two followers are two consumers, each at its own pace: a last
    // append of the other store's, once the othersOnly follower has it, says
    // that follower has been handed everything before it in the log.
    await other.append('account-last', [event('Theirs')], { expectedRevision: 'no_stream' });
    for (let waited = 0; waited < 10_000; waited += 20) {
      if (followed.includes('account-last') && everything.length >= 24) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all([follower.close(), all.close()]);
    expect(followed).toEqual(['account-theirs', 'account-theirs', 'account-theirs', 'account-last']);
    expect(everything).toHaveLength(24);
    await other.close();
    await store.close();
  });

  it('never removes a durable at start, even one of a category it no longer asks for: the server forgets it once nobody pulls', async () => {
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const open = (categories: string[], forgetIdleAfterMs?: number) =>
      openJetStreamWorkQueue(nc, {
        prefix: p,
        replicas: 1,
        types: ['FolderCreated'],
        categories,
        ...(forgetIdleAfterMs ? { forgetIdleAfterMs } : {}),
      });
    // An older worker still answers folders (a rolling upgrade). Between two
    // of its pulls (each expires and is renewed), none is waiting: a newer
    // worker, which no longer asks for folders, starts at such a moment.
    const older = await open(['folder', 'item'], 3_000);
    await (await open(['item'], 3_000)).close();
    const taking = older.consume();
    const delivered: number[] = [];
    void (async () => {
      for await (const item of taking) {
        delivered.push(item.position);
        await item.ack();
      }
    })();
    const appended = await store.append('folder-x', [event('FolderCreated')], { expectedRevision: 'any' });
    for (let waited = 0; waited < 10_000 && !delivered.includes(appended.position); waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    expect(delivered).toContain(appended.position);

    const jsm = await nc.jetstreamManager();
    const folderDurable = workConsumerName(p, 'follow-ups_folder');
    const info = await jsm.consumers.info(eventsStreamName(p), folderDurable);
    expect(info.config.inactive_threshold).toBe(3_000 * 1_000_000);
    // Still there 5 s on (past the threshold), as long as someone pulls from it.
    await new Promise((r) => setTimeout(r, 5_000));
    expect((await jsm.consumers.info(eventsStreamName(p), folderDurable)).name).toBe(folderDurable);
    // Once nobody does, the server removes it (and the item durable, idle too).
    await older.close();
    expect(await consumersLeft(p, 0)).toEqual([]);
    await store.close();
  }, 40_000);

  it('gives a durable made before thresholds, of a category no longer asked for, one: the server then forgets it', async () => {
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const jsm = await nc.jetstreamManager();
    // As an older release left them: its folder durable, and another queue's, neither with a threshold.
    const old = (name: string, category: string) =>
      jsm.consumers.add(eventsStreamName(p), {
        durable_name: workConsumerName(p, name),
        ack_policy: AckPolicy.Explicit,
        filter_subject: `${categorySubject(p, category)}.>`,
      });
    await old('follow-ups_folder', 'folder');
    await old('other_folder', 'folder');
    await (
      await openJetStreamWorkQueue(nc, {
        prefix: p,
        replicas: 1,
        types: ['FolderCreated'],
        categories: ['item'],
        forgetIdleAfterMs: 1_000,
      })
    ).close();
    // Another queue's durable is not this queue's to mark.
    expect(await consumersLeft(p, 1)).toEqual([workConsumerName(p, 'other_folder')]);
    await store.close();
  }, 30_000);

  it('a worker whose durable is removed under it makes it anew and goes on taking items', async () => {
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const queue = await openJetStreamWorkQueue(nc, {
      prefix: p,
      replicas: 1,
      types: ['FolderCreated'],
      categories: ['folder'],
    });
    const delivered: number[] = [];
    let failures = 0;
    let stopping = false;
    // As the worker's follow-up queue takes items: again, after a failure ended delivery.
    const loop = (async () => {
      while (!stopping) {
        const taking = queue.consume();
        try {
          for await (const item of taking) {
            delivered.push(item.position);
            await item.ack();
            if (stopping) break;
          }
        } catch {
          failures++;
        }
        await taking.close();
        if (!stopping) await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const waitFor = async (position: number) => {
      for (let waited = 0; waited < 10_000 && !delivered.includes(position); waited += 20)
        await new Promise((r) => setTimeout(r, 20));
      expect(delivered).toContain(position);
    };
    const first = await store.append('folder-a', [event('FolderCreated')], { expectedRevision: 'any' });
    await waitFor(first.position);

    const jsm = await nc.jetstreamManager();
    await jsm.consumers.delete(eventsStreamName(p), workConsumerName(p, 'follow-ups_folder'));
    const second = await store.append('folder-b', [event('FolderCreated')], { expectedRevision: 'any' });
    await waitFor(second.position);
    expect(failures).toBeGreaterThan(0);
    stopping = true;
    await store.append('folder-c', [event('FolderCreated')], { expectedRevision: 'any' });
    await loop;
    await queue.close();
    await store.close();
  }, 30_000);

  it('reads a long aggregate whole through one filtered consumer, not a get per message, and from a revision by its index', async () => {
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    for (let r = 0; r < 200; r++) {
      await store.append('item-long', [event('Step', { r })], {
        expectedRevision: r === 0 ? 'no_stream' : r - 1,
      });
      if (r % 3 === 0) await store.append(`item-other${r}`, [event('Noise')], { expectedRevision: 'any' });
    }
    const reader = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const { result: whole, gets } = await countingGets(p, () => reader.readStream('item-long'));
    expect(whole.map((e) => (e.data as { r: number }).r)).toEqual(Array.from({ length: 200 }, (_, r) => r));
    expect(whole.map((e) => e.revision)).toEqual(Array.from({ length: 200 }, (_, r) => r));
    expect(gets).toBe(1); // the tail only
    const after = await reader.readStream('item-long', { fromRevision: 190 });
    expect(after.map((e) => e.revision)).toEqual([190, 191, 192, 193, 194, 195, 196, 197, 198, 199]);
  });

  it('refuses to read a long aggregate whole when one of its messages was deleted, as the read by index does', async () => {
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const appended = [];
    for (let r = 0; r < 100; r++)
      appended.push(
        await store.append('item-holed', [event('Step', { r })], {
          expectedRevision: r === 0 ? 'no_stream' : r - 1,
        }),
      );
    const jsm = await nc.jetstreamManager();
    await jsm.streams.deleteMessage(eventsStreamName(p), appended[40]!.position);
    const reader = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    await expect(reader.readStream('item-holed')).rejects.toThrow('revision 40 is missing');
  });

  it('reads a long aggregate in a much larger stream by its index, so the read does not grow with the stream', async () => {
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const js = nc.jetstream();
    for (let r = 0; r < 70; r++) {
      // 70 events, each followed by 300 messages of other aggregates: a consumer
      // filtered on this one would make the server scan 300 messages per event.
      await store.append('item-spread', [event('Step', { r })], {
        expectedRevision: r === 0 ? 'no_stream' : r - 1,
      });
      await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          js.publish(
            eventSubject(p, `item-filler${r}x${i}`),
            JSONCodec().encode({ stream: 'x', events: [] }),
          ),
        ),
      );
    }
    const reader = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const { result: whole, gets } = await countingGets(p, () => reader.readStream('item-spread'));
    expect(whole.map((e) => e.revision)).toEqual(Array.from({ length: 70 }, (_, r) => r));
    expect(gets).toBe(70); // the tail, the 69 others by sequence, no consumer
  });

  it('a retry after the duplicate window, from a new process, is still recognised', async () => {
    const options = { prefix: prefix(), replicas: 1, duplicateWindowMs: 100 };
    const store = await connectJetStreamStore(nc, options);
    const batch = [event('Created'), event('Named')];
    const first = await store.append('item-a', batch, { expectedRevision: 'no_stream' });
    await store.append('item-a', [event('Moved')], { expectedRevision: 1 });
    await new Promise((r) => setTimeout(r, 300));
    const restarted = await connectJetStreamStore(nc, options);
    expect(await restarted.append('item-a', batch, { expectedRevision: 'no_stream' })).toEqual(first);
    expect(await restarted.readStream('item-a')).toHaveLength(3);
  });

  it("the server recognises a repeated append only inside its duplicate window: after it, an 'any' retry appends again", async () => {
    const store = await connectJetStreamStore(nc, {
      prefix: prefix(),
      replicas: 1,
      duplicateWindowMs: 1_000,
    });
    const batch = [event('Credited')];
    const first = await store.append('account-a', batch, { expectedRevision: 'any' });
    // Another append follows, so only the server's window can recognise the retry.
    await store.append('account-a', [event('Debited')], { expectedRevision: 'any' });
    expect(await store.append('account-a', batch, { expectedRevision: 'any' })).toEqual(first);
    expect(await store.readStream('account-a')).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 1_500));
    // This is the gap the worker's exactly-once design (its reply log) must cover.
    const again = await store.append('account-a', batch, { expectedRevision: 'any' });
    expect(again.position).toBeGreaterThan(first.position);
    expect((await store.readStream('account-a')).map((e) => e.type)).toEqual([
      'Credited',
      'Debited',
      'Credited',
    ]);
  });

  it('a store opened with another duplicate window changes the existing stream to it', async () => {
    const p = prefix();
    await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const jsm = await nc.jetstreamManager();
    expect((await jsm.streams.info(`${p}_events`)).config.duplicate_window).toBe(nanos(7 * 24 * 3600 * 1000));
    await connectJetStreamStore(nc, { prefix: p, replicas: 1, duplicateWindowMs: 1_000 });
    expect((await jsm.streams.info(`${p}_events`)).config.duplicate_window).toBe(nanos(1_000));
  });

  it("changing the duplicate window leaves the stream's replicas (and the rest of its settings) as the operator set them", async () => {
    const p = prefix();
    await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const jsm = await nc.jetstreamManager();
    const before = (await jsm.streams.info(`${p}_events`)).config;
    await jsm.streams.update(`${p}_events`, { ...before, max_msgs_per_subject: 100_000 });
    // Asked with another replica count (as a store opened with CAMLEDGER_REPLICAS=3 asks): only the window moves.
    await ensureEventsStream(jsm, { prefix: p, replicas: 3, duplicateWindowMs: 2_000 });
    const after = (await jsm.streams.info(`${p}_events`)).config;
    expect(after.duplicate_window).toBe(nanos(2_000));
    expect(after.num_replicas).toBe(1);
    expect(after.max_msgs_per_subject).toBe(100_000);
  });

  it('refuses to read an aggregate with a message gone from the middle, rather than fold it with a gap', async () => {
    const p = prefix();
    const store = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    const event = (n: number) => ({ id: crypto.randomUUID(), type: 'Bulk', data: { n }, metadata: {} });
    let position = 0;
    for (let n = 0; n < 3; n++)
      position = (await store.append('item-gap', [event(n)], { expectedRevision: n - 1 })).position;
    const jsm = await nc.jetstreamManager();
    await jsm.streams.deleteMessage(`${p}_events`, position - 1);
    const fresh = await connectJetStreamStore(nc, { prefix: p, replicas: 1 });
    await expect(fresh.readStream('item-gap')).rejects.toThrow(/no longer holds/);
  });

  it('stream names that are not subject-safe are stored apart and read back', async () => {
    const store = await connectJetStreamStore(nc, { prefix: prefix(), replicas: 1 });
    const names = ['item-a.b', 'item-a_b', 'item-a*', 'item->', 'item-é', 'item-a b'];
    for (const name of names)
      await store.append(name, [event('X', { name })], { expectedRevision: 'no_stream' });
    for (const name of names)
      expect((await store.readStream(name)).map((e) => [e.stream, e.data])).toEqual([[name, { name }]]);
  });

  it('a prefix that is not a valid stream name is refused up front', async () => {
    await expect(connectJetStreamStore(nc, { prefix: 'bad.prefix', replicas: 1 })).rejects.toThrow(
      /CAMLEDGER_PREFIX/,
    );
  });
});

workQueueContract('jetstream', {
  store: (namespace) => connectJetStreamStore(nc, { prefix: `cltest_${namespace}`, replicas: 1 }),
  open: (namespace, options) =>
    openJetStreamWorkQueue(nc, { prefix: `cltest_${namespace}`, replicas: 1, ...options }),
  async dispose(namespaces) {
    for (const ns of namespaces) await deleteJetStreamNamespace(nc, `cltest_${ns}`);
  },
});
