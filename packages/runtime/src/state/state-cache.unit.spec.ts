import type { Aggregate, DomainEvent } from '@camledger/domain';
import { type EventStore, memoryEventStore } from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { StateCache } from './state-cache.ts';

// A counter aggregate keeps the cache's behaviour visible: the state is the
// number of events folded, so a missed or doubled event shows at once.
const counter: Aggregate<number, DomainEvent> = { category: 'counter', initial: 0, evolve: (n) => n + 1 };

const bump = (store: EventStore, id: string, expectedRevision: number, data: unknown = {}) =>
  store.append(`counter-${id}`, [{ id: crypto.randomUUID(), type: 'Bumped', data, metadata: {} }], {
    expectedRevision: expectedRevision < 0 ? 'no_stream' : expectedRevision,
  });

describe('the state cache', () => {
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
