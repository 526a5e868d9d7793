import type { Aggregate, DomainEvent } from '@camledger/domain';
import { type EventStore, memoryEventStore } from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { StateCache } from './state-cache.ts';

// A counter aggregate keeps the cache's behaviour visible: the state is the
// number of events folded, so a missed or doubled event shows at once.
const counter: Aggregate<number, DomainEvent> = { category: 'counter', initial: 0, evolve: (n) => n + 1 };

const bump = (store: EventStore, id: string, expectedRevision: number) =>
  store.append(`counter-${id}`, [{ id: crypto.randomUUID(), type: 'Bumped', data: {}, metadata: {} }], {
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

  it('holds at most its capacity, dropping the least recently used state', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store, 3);
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      await bump(store, id, -1);
      await cache.read(counter, id);
    }
    expect(cache.size).toBe(3);
    // An evicted state is simply folded again from the store, not lost.
    expect((await cache.read(counter, 'a')).state).toBe(1);
  });

  it('answers a stream that does not exist with the initial state at revision -1', async () => {
    const cache = new StateCache(memoryEventStore());
    expect(await cache.read(counter, 'nobody')).toMatchObject({ state: 0, revision: -1 });
  });
});
