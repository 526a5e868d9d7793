import { type Aggregate, aggregatesByCategory, type DomainEvent } from '@camledger/domain';
import { type EventStore, memoryEventStore } from '@camledger/event-store';
import { describe, expect, it, vi } from 'vitest';
import { StateCache } from './state-cache.ts';

// A counter aggregate keeps the cache's behaviour visible: the state is the
// number of events folded, so a missed or doubled event shows at once.
const counter: Aggregate<number, DomainEvent> = { category: 'counter', initial: 0, evolve: (n) => n + 1 };

const bump = (store: EventStore, id: string, expectedRevision: number, data: unknown = {}) =>
  store.append(`counter-${id}`, [{ id: crypto.randomUUID(), type: 'Bumped', data, metadata: {} }], {
    expectedRevision: expectedRevision < 0 ? 'no_stream' : expectedRevision,
  });

describe('the state cache', () => {
  it('folds a followed append of another worker without reading, skips what it holds, and ignores streams it does not cache', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, { revalidate: 'on-demand' });
    await bump(store, 'a', -1);
    await cache.read(counter, 'a');
    const reads = vi.spyOn(store, 'readStream');
    const theirs = await bump(store, 'a', 0); // another worker's append, as the follower receives it
    const followed = (await store.readStream('counter-a', { fromRevision: theirs.revision })) as never;
    reads.mockClear();
    cache.applyFollowed('counter-a', followed);
    cache.applyFollowed('counter-a', followed); // delivered again: held
    cache.applyFollowed('counter-b', followed); // not cached: nothing to do
    expect(await cache.read(counter, 'a')).toMatchObject({ state: 2, revision: 1 });
    expect(reads).not.toHaveBeenCalled();
    expect(cache.size).toBe(1);
  });

  it('fills a gap a follower saw by reading what came after, off the command path', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, { revalidate: 'on-demand' });
    await bump(store, 'a', -1);
    await cache.read(counter, 'a');
    await bump(store, 'a', 0); // missed by the follower
    const next = await bump(store, 'a', 1);
    const followed = await store.readStream('counter-a', { fromRevision: next.revision });
    cache.applyFollowed('counter-a', followed);
    await vi.waitFor(async () =>
      expect(await cache.read(counter, 'a')).toMatchObject({ state: 3, revision: 2 }),
    );
  });

  it('sees events another worker appended after it cached the state', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store);
    await bump(store, 'a', -1);
    expect((await cache.read(counter, 'a')).state).toBe(1);
    await bump(store, 'a', 0); // written behind the cache's back
    const again = await cache.read(counter, 'a');
    expect(again).toMatchObject({ state: 2, revision: 1 });
  });

  it('folds each event once when reads of one stream overlap', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store);
    await bump(store, 'a', -1);
    await cache.read(counter, 'a');
    await bump(store, 'a', 0);
    await bump(store, 'a', 1);
    // Both reads ask for "everything after revision 0" before either folds.
    const [first, second] = await Promise.all([cache.read(counter, 'a'), cache.read(counter, 'a')]);
    expect(first).toMatchObject({ state: 3, revision: 2 });
    expect(second).toMatchObject({ state: 3, revision: 2 });
  });

  it('is bounded by the bytes of its states, not their number: one large state evicts many small ones', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, { maxBytes: 64 * 1024 });
    const large: Aggregate<string[], DomainEvent> = {
      category: 'clip',
      initial: [],
      evolve: (frames, e) => [...frames, ...(e.data as { frames: string[] }).frames],
    };
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      await bump(store, id, -1);
      await cache.read(counter, id);
    }
    expect(cache.size).toBe(5);
    const frames = Array.from({ length: 2_000 }, (_, i) => `frame-${String(i).padStart(40, '0')}`);
    await store.append(
      'clip-big',
      [{ id: crypto.randomUUID(), type: 'Recorded', data: { frames }, metadata: {} }],
      {
        expectedRevision: 'no_stream',
      },
    );
    expect((await cache.read(large, 'big')).state).toHaveLength(2_000);
    // The clip alone is over the budget: it stays (the command on it needs it), the others went.
    expect(cache.bytes).toBeGreaterThan(64 * 1024);
    expect(cache.size).toBe(1);
    // The next state kept takes its place: the total falls back under the budget.
    await cache.read(counter, 'a');
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it('keeps its budget while followed appends of other workers grow a state, with no read in between', async () => {
    const store = memoryEventStore();
    const maxBytes = 64 * 1024;
    const cache = new StateCache(store, { maxBytes, revalidate: 'on-demand' });
    const clip: Aggregate<string[], DomainEvent> = {
      category: 'clip',
      initial: [],
      evolve: (frames, e) => [...frames, ...(e.data as { frames: string[] }).frames],
    };
    const framesOf = (n: number, tag: string) =>
      Array.from({ length: n }, (_, j) => `frame-${tag}-${j}-${'0'.repeat(40)}`);
    const record = (id: string, revision: number, frames: string[]) =>
      store.append(
        `clip-${id}`,
        [{ id: crypto.randomUUID(), type: 'Recorded', data: { frames }, metadata: {} }],
        {
          expectedRevision: revision < 0 ? 'no_stream' : revision,
        },
      );
    // Three clips of about a third of the budget each, read in turn.
    for (const id of ['b', 'c', 'a']) {
      await record(id, -1, framesOf(200, id));
      await cache.read(clip, id);
    }
    // Another worker adds 10 batches of 30 frames to clip-a; the follower hands each over.
    for (let i = 0; i < 10; i++) {
      const appended = await record('a', i, framesOf(30, `a${i}`));
      cache.applyFollowed('clip-a', await store.readStream('clip-a', { fromRevision: appended.revision }));
    }
    expect(cache.bytes).toBeLessThanOrEqual(maxBytes);
    // Not only its own count says so: the least recently used clip is gone
    // already, before any read could trim the cache.
    expect(cache.size).toBeLessThan(3);
    const reads = vi.spyOn(store, 'readStream');
    // The grown one stayed, folded to its end, answered from memory.
    expect((await cache.read(clip, 'a')).state).toHaveLength(500);
    expect(reads).not.toHaveBeenCalled();
    // The least recently used went: it is read from the store again.
    expect((await cache.read(clip, 'b')).state).toHaveLength(200);
    expect(reads).toHaveBeenCalledWith('clip-b', expect.anything());
  });

  it('keeps a state larger than its whole budget when a followed append grows it: a command may be on it', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, { maxBytes: 64 * 1024, revalidate: 'on-demand' });
    const clip: Aggregate<string[], DomainEvent> = {
      category: 'clip',
      initial: [],
      evolve: (frames, e) => [...frames, ...(e.data as { frames: string[] }).frames],
    };
    const frames = Array.from({ length: 2_000 }, (_, i) => `frame-${String(i).padStart(40, '0')}`);
    await store.append(
      'clip-big',
      [{ id: crypto.randomUUID(), type: 'Recorded', data: { frames }, metadata: {} }],
      {
        expectedRevision: 'no_stream',
      },
    );
    await cache.read(clip, 'big');
    const theirs = await store.append(
      'clip-big',
      [{ id: crypto.randomUUID(), type: 'Recorded', data: { frames: ['one more'] }, metadata: {} }],
      { expectedRevision: 0 },
    );
    cache.applyFollowed('clip-big', await store.readStream('clip-big', { fromRevision: theirs.revision }));
    const reads = vi.spyOn(store, 'readStream');
    expect((await cache.read(clip, 'big')).state).toHaveLength(2_001);
    expect(reads).not.toHaveBeenCalled();
  });

  it('keeps many small states within a budget a handful of large ones would fill', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, { maxBytes: 4 * 1024 });
    for (let i = 0; i < 40; i++) {
      await bump(store, `s${i}`, -1);
      await cache.read(counter, `s${i}`);
    }
    expect(cache.bytes).toBeLessThanOrEqual(4 * 1024);
    expect(cache.size).toBeGreaterThan(5);
    expect(cache.size).toBeLessThan(40);
    // An evicted state is simply folded again from the store, not lost.
    expect((await cache.read(counter, 's0')).state).toBe(1);
  });

  it('answers a stream that does not exist with the initial state at revision -1', async () => {
    const cache = new StateCache(memoryEventStore());
    expect(await cache.read(counter, 'nobody')).toMatchObject({ state: 0, revision: -1 });
  });
});

// A store whose next read can be held back, to let reads of one stream
// overlap an eviction in a chosen order. `late`: the store is asked when the
// read is released; `early`: asked at once, answered when released.
function holdingStore(inner: EventStore) {
  let next: 'early' | 'late' | undefined;
  let release: () => void = () => {};
  const store = Object.assign(Object.create(inner) as EventStore, {
    readStream: async (...args: Parameters<EventStore['readStream']>) => {
      const mode = next;
      next = undefined;
      if (!mode) return inner.readStream(...args);
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      if (mode === 'late') {
        await gate;
        return inner.readStream(...args);
      }
      const events = await inner.readStream(...args);
      await gate;
      return events;
    },
  });
  return {
    store,
    holdNext(mode: 'early' | 'late') {
      next = mode;
    },
    release: () => release(),
  };
}

const onDemand = { revalidate: 'on-demand' } as const;

describe('the state cache under overlapping reads and its own appends', () => {
  it('keeps the entry further ahead when a read that was away returns behind it', async () => {
    const inner = memoryEventStore();
    const { store, holdNext, release } = holdingStore(inner);
    const cache = new StateCache(store, onDemand);
    await bump(inner, 'a', -1);
    await cache.read(counter, 'a');
    holdNext('early'); // sees the stream as it is now: nothing after revision 0
    const behind = cache.read(counter, 'a', { refresh: true });
    cache.invalidate('counter-a');
    await bump(inner, 'a', 0);
    expect(await cache.read(counter, 'a')).toMatchObject({ state: 2, revision: 1 });
    release();
    await behind;
    // Memory is answered as is in this mode: it must still be the later fold.
    expect(await cache.read(counter, 'a')).toMatchObject({ state: 2, revision: 1, verified: false });
    expect(cache.bytes).toBe(await bytesOfFresh(inner, 'a'));
  });

  it('lets a read that returns ahead replace the entry behind it, counting only the one kept', async () => {
    const inner = memoryEventStore();
    const { store, holdNext, release } = holdingStore(inner);
    const cache = new StateCache(store, onDemand);
    await bump(inner, 'a', -1);
    await cache.read(counter, 'a');
    holdNext('late'); // asks the store only once released, after the next append
    const ahead = cache.read(counter, 'a', { refresh: true });
    cache.invalidate('counter-a');
    expect(await cache.read(counter, 'a')).toMatchObject({ state: 1, revision: 0 });
    await bump(inner, 'a', 0);
    release();
    expect(await ahead).toMatchObject({ state: 2, revision: 1 });
    expect(await cache.read(counter, 'a')).toMatchObject({ state: 2, revision: 1, verified: false });
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(await bytesOfFresh(inner, 'a'));
  });

  it('folds its own append when it continues the cached revision', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, onDemand);
    await bump(store, 'a', -1);
    await cache.read(counter, 'a');
    await bump(store, 'a', 0);
    const appended = await store.readStream('counter-a', { fromRevision: 1 });
    cache.applyAppended('counter-a', appended);
    cache.applyAppended('counter-a', appended); // told twice: folded once
    expect(await cache.read(counter, 'a')).toMatchObject({ state: 2, revision: 1, verified: false });
  });

  it('drops a stream instead of folding an append that does not continue it, and reads it afresh', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, onDemand);
    await bump(store, 'a', -1);
    await cache.read(counter, 'a');
    await bump(store, 'a', 0); // another worker's append, unseen by this cache
    await bump(store, 'a', 1); // this process's own
    cache.applyAppended('counter-a', await store.readStream('counter-a', { fromRevision: 2 }));
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
    expect(await cache.read(counter, 'a')).toMatchObject({ state: 3, revision: 2, verified: true });
  });

  it('holds a stream its own append created, from that append alone: the next read needs no store', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, onDemand);
    const id = 'fld_01JD3XQ4S5M7N8P9R0T1V2W3X4';
    const claim = { type: 'IdClaimed', data: { id, kind: 'folder', owner: 'usr_1', container: 'usr_1' } };
    await store.append(`directory-${id}`, [{ id: crypto.randomUUID(), ...claim, metadata: {} }], {
      expectedRevision: 'no_stream',
    });
    cache.applyAppended(`directory-${id}`, await store.readStream(`directory-${id}`));
    const reads = vi.spyOn(store, 'readStream');
    const held = await cache.read(aggregatesByCategory.get('directory')!, id);
    expect(reads).not.toHaveBeenCalled();
    expect(held).toMatchObject({ revision: 0, verified: false, state: { kind: 'folder', owner: 'usr_1' } });
  });

  it('ignores appends to streams it does not hold that do not start the stream, or whose aggregate it does not know', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, onDemand);
    await bump(store, 'a', -1);
    cache.applyAppended('counter-a', await store.readStream('counter-a'));
    const id = 'fld_01JD3XQ4S5M7N8P9R0T1V2W3X5';
    const claim = { type: 'IdClaimed', data: { id, kind: 'folder', owner: 'usr_1', container: 'usr_1' } };
    for (const expectedRevision of ['no_stream', 0] as const)
      await store.append(`directory-${id}`, [{ id: crypto.randomUUID(), ...claim, metadata: {} }], {
        expectedRevision,
      });
    cache.applyAppended(`directory-${id}`, await store.readStream(`directory-${id}`, { fromRevision: 1 }));
    expect(cache.size).toBe(0);
  });

  it('reads an invalidated stream from the store again, and ignores invalidating one it does not hold', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, onDemand);
    await bump(store, 'a', -1);
    await cache.read(counter, 'a');
    cache.invalidate('counter-nobody');
    expect(cache.size).toBe(1);
    await bump(store, 'a', 0);
    expect(await cache.read(counter, 'a')).toMatchObject({ state: 1, verified: false });
    cache.invalidate('counter-a');
    expect(cache.size).toBe(0);
    expect(await cache.read(counter, 'a')).toMatchObject({ state: 2, revision: 1, verified: true });
  });
});

/** The bytes a cache that never saw `id` before counts for it once read. */
async function bytesOfFresh(store: EventStore, id: string, options = {}): Promise<number> {
  const fresh = new StateCache(store, options);
  await fresh.read(counter, id);
  return fresh.bytes;
}

describe('the size the state cache counts', () => {
  it('holds many small states in its default budget', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store);
    for (let i = 0; i < 10; i++) {
      await bump(store, `s${i}`, -1);
      await cache.read(counter, `s${i}`);
    }
    expect(cache.size).toBe(10);
  });

  it('counts a state by its own size, not by the events folded into it', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store);
    const payload = { note: 'x'.repeat(2_000) };
    for (let i = 0; i < 20; i++) {
      await bump(store, 'a', i - 1, payload);
      await cache.read(counter, 'a');
    }
    // The counter's state is a number: the cache must not charge it 40 kB of history.
    expect(cache.bytes).toBeLessThan(2_000);
  });

  it('counts a larger state as more bytes', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store);
    const clip: Aggregate<string[], DomainEvent> = {
      category: 'clip',
      initial: [],
      evolve: (frames, e) => [...frames, ...(e.data as { frames: string[] }).frames],
    };
    const record = (expectedRevision: number, frames: string[]) =>
      store.append(
        'clip-c',
        [{ id: crypto.randomUUID(), type: 'Recorded', data: { frames }, metadata: {} }],
        {
          expectedRevision: expectedRevision < 0 ? 'no_stream' : expectedRevision,
        },
      );
    await record(
      -1,
      Array.from({ length: 100 }, (_, i) => `frame-${i}`),
    );
    await cache.read(clip, 'c');
    const before = cache.bytes;
    await record(0, ['one more frame']);
    expect((await cache.read(clip, 'c')).state).toHaveLength(101);
    expect(cache.bytes).toBeGreaterThan(before);
  });

  it('counts a stream once however often it is read and folded', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store);
    await bump(store, 'a', -1);
    await cache.read(counter, 'a');
    await bump(store, 'a', 0);
    await cache.read(counter, 'a');
    await cache.read(counter, 'a');
    expect(cache.bytes).toBe(await bytesOfFresh(store, 'a'));
  });

  it('counts a longer stream name as more bytes', async () => {
    const store = memoryEventStore();
    await bump(store, 'a', -1);
    await bump(store, 'a-much-longer-identifier', -1);
    expect(await bytesOfFresh(store, 'a-much-longer-identifier')).toBeGreaterThan(
      await bytesOfFresh(store, 'a'),
    );
  });

  it('evicts the least recently used, and nothing while exactly at its budget', async () => {
    const store = memoryEventStore();
    for (const id of ['a', 'b', 'c', 'd']) await bump(store, id, -1);
    // Streams of equal name length and state count the same: the budget holds exactly three.
    const cache = new StateCache(store, { ...onDemand, maxBytes: 3 * (await bytesOfFresh(store, 'a')) });
    for (const id of ['a', 'b', 'c']) await cache.read(counter, id);
    expect(cache.size).toBe(3);
    await cache.read(counter, 'a'); // a is now more recent than b
    await cache.read(counter, 'd');
    expect(cache.size).toBe(3);
    expect((await cache.read(counter, 'a')).verified).toBe(false);
    expect((await cache.read(counter, 'd')).verified).toBe(false);
    expect((await cache.read(counter, 'b')).verified).toBe(true); // b went, and came back from the store
  });
});

describe("the state cache's index of command keys", () => {
  const t0 = Date.parse('2026-02-01T00:00:00Z');
  const day = 24 * 60 * 60 * 1000;
  const accepted = (key: string, at: number, extra: Record<string, unknown> = {}) => ({
    commandKey: key,
    reply: { code: 10000, result: { folder_id: `fld_${key}` } },
    occurredAt: new Date(at).toISOString(),
    ...extra,
  });
  const write = (
    store: EventStore,
    id: string,
    expectedRevision: number,
    metadata: Record<string, unknown>,
  ) =>
    store.append(`counter-${id}`, [{ id: crypto.randomUUID(), type: 'Bumped', data: {}, metadata }], {
      expectedRevision: expectedRevision < 0 ? 'no_stream' : expectedRevision,
    });

  it("answers a command key with the reply, revision and position of its append, and the asker's fingerprint", async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, { clock: () => t0 });
    await write(store, 'a', -1, accepted('k1', t0 - 1000));
    const second = await write(store, 'a', 0, accepted('k2', t0 - 500, { commandFingerprint: 'fp' }));
    const { keys } = await cache.read(counter, 'a');
    expect(keys.get('k2')).toEqual({
      code: 10000,
      result: { folder_id: 'fld_k2' },
      revision: 1,
      position: second.position,
      occurredAt: t0 - 500,
      fingerprint: 'fp',
    });
    expect(keys.get('k1')).toMatchObject({ revision: 0 });
    expect(keys.get('k1')?.fingerprint).toBeUndefined();
  });

  it('indexes only events that carry both a key and a reply', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, { clock: () => t0 });
    const at = new Date(t0 - 1000).toISOString();
    await write(store, 'a', -1, { occurredAt: at }); // a claim, or an earlier event of an append
    await write(store, 'a', 0, { occurredAt: at, commandKey: 'no-reply' });
    await write(store, 'a', 1, { occurredAt: at, reply: { code: 10000, result: {} } });
    await write(store, 'a', 2, accepted('k', t0 - 1000));
    const { keys, state } = await cache.read(counter, 'a');
    expect(state).toBe(4);
    expect([...keys.keys()]).toEqual(['k']);
  });

  it('keeps a key until the retention has passed, exactly, as later appends are folded', async () => {
    const store = memoryEventStore();
    let now = t0;
    const cache = new StateCache(store, { clock: () => now, keyRetentionMs: 7 * day });
    await write(store, 'a', -1, accepted('k', t0));
    expect((await cache.read(counter, 'a')).keys.has('k')).toBe(true);
    now = t0 + 7 * day - 1;
    await write(store, 'a', 0, { occurredAt: new Date(now).toISOString() });
    expect((await cache.read(counter, 'a')).keys.has('k')).toBe(true);
    now = t0 + 7 * day;
    await write(store, 'a', 1, { occurredAt: new Date(now).toISOString() });
    expect((await cache.read(counter, 'a')).keys.has('k')).toBe(false);
  });

  it('does not index a key already past the retention, even one found after a newer key', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, { clock: () => t0, keyRetentionMs: 7 * day });
    // Writers' clocks differ: an append can carry an older time than the one before it.
    await write(store, 'a', -1, accepted('recent', t0 - day));
    await write(store, 'a', 0, accepted('at-horizon', t0 - 7 * day));
    await write(store, 'a', 1, accepted('older', t0 - 8 * day));
    await write(store, 'a', 2, accepted('inside', t0 - 7 * day + 1));
    const { keys } = await cache.read(counter, 'a');
    expect([...keys.keys()]).toEqual(['recent', 'inside']);
  });

  it('keeps the latest reply of a key met twice', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, { clock: () => t0 });
    await write(store, 'a', -1, accepted('k', t0 - 2000));
    await write(store, 'a', 0, accepted('k', t0 - 1000));
    const { keys } = await cache.read(counter, 'a');
    expect(keys.size).toBe(1);
    expect(keys.get('k')).toMatchObject({ revision: 1, occurredAt: t0 - 1000 });
  });

  it('keeps at most maxKeysPerStream keys of a stream, letting the oldest go, and counts only those', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, { clock: () => t0, maxKeysPerStream: 3 });
    for (let i = 0; i < 5; i++) await write(store, 'a', i - 1, accepted(`k${i}`, t0 - 1000 + i));
    expect([...(await cache.read(counter, 'a')).keys.keys()]).toEqual(['k2', 'k3', 'k4']);
    // The same stream read whole by an unbounded cache holds all five: more bytes.
    const bounded = cache.bytes;
    const all = new StateCache(store, { clock: () => t0 });
    expect([...(await all.read(counter, 'a')).keys.keys()]).toHaveLength(5);
    expect(all.bytes).toBeGreaterThan(bounded);
    // Folded one by one, as appends come, the bound holds too.
    await write(store, 'a', 4, accepted('k5', t0));
    expect([...(await cache.read(counter, 'a')).keys.keys()]).toEqual(['k3', 'k4', 'k5']);
  });

  it('counts the index in its bytes, and no longer once the keys have gone', async () => {
    const store = memoryEventStore();
    let now = t0;
    const cache = new StateCache(store, { clock: () => now, keyRetentionMs: day });
    await write(store, 'a', -1, accepted('k1', t0));
    await write(store, 'a', 0, accepted('k1', t0));
    await write(store, 'a', 1, accepted('k2', t0));
    await cache.read(counter, 'a');
    // A cache reading the same stream when its keys are past the retention indexes none of them.
    const withoutKeys = { clock: () => t0 + 2 * day, keyRetentionMs: day };
    expect(cache.bytes).toBeGreaterThan(await bytesOfFresh(store, 'a', withoutKeys));
    now = t0 + 2 * day;
    await write(store, 'a', 2, { occurredAt: new Date(now).toISOString() });
    expect((await cache.read(counter, 'a')).keys.size).toBe(0);
    expect(cache.bytes).toBe(await bytesOfFresh(store, 'a', withoutKeys));
  });
});
