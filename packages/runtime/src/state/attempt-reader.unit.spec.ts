import type { Aggregate, DomainEvent } from '@camledger/domain';
import { type EventStore, memoryEventStore } from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { AttemptReader } from './attempt-reader.ts';
import { StateCache } from './state-cache.ts';

// What one attempt learns from its reads: whether it decided on memory the
// store was not asked about, and its own earlier reply if a read stream holds it.

const counter: Aggregate<number, DomainEvent> = { category: 'counter', initial: 0, evolve: (n) => n + 1 };

const bump = (store: EventStore, id: string, metadata: Record<string, unknown> = {}) =>
  store.append(`counter-${id}`, [{ id: crypto.randomUUID(), type: 'Bumped', data: {}, metadata }], {
    expectedRevision: 'any',
  });

async function warmCache() {
  const store = memoryEventStore();
  const cache = new StateCache(store, { revalidate: 'on-demand' });
  for (const id of ['a', 'b']) {
    await bump(store, id);
    await cache.read(counter, id);
  }
  return { store, cache };
}

describe('an attempt reader', () => {
  it('by default takes a cached state from memory and says so', async () => {
    const { cache } = await warmCache();
    const reader = new AttemptReader(cache);
    await reader.read(counter, 'a');
    expect(reader.readUnverified).toBe(true);
    expect(reader.readUnverifiedBesides('counter-a')).toBe(false);
    expect(reader.readUnverifiedBesides('counter-b')).toBe(true);
  });

  it('asks the store on every read when told to refresh', async () => {
    const { store, cache } = await warmCache();
    await bump(store, 'a');
    const reader = new AttemptReader(cache, true);
    expect(await reader.read(counter, 'a')).toMatchObject({ state: 2, revision: 1 });
    expect(reader.readUnverified).toBe(false);
  });

  it('asks the store for the streams it is told are contended, and only those', async () => {
    const { store, cache } = await warmCache();
    await bump(store, 'a');
    await bump(store, 'b');
    const reader = new AttemptReader(cache, false, (stream) => stream === 'counter-a');
    expect(await reader.read(counter, 'a')).toMatchObject({ state: 2 });
    expect(reader.readUnverified).toBe(false);
    expect(await reader.read(counter, 'b')).toMatchObject({ state: 1 });
    expect(reader.readUnverifiedBesides('counter-a')).toBe(true);
  });

  it('finds an earlier reply of the command only in the streams it read', async () => {
    const store = memoryEventStore();
    const cache = new StateCache(store);
    await bump(store, 'b', {
      commandKey: 'k',
      reply: { code: 10000, result: {} },
      occurredAt: new Date().toISOString(),
    });
    const reader = new AttemptReader(cache);
    await reader.read(counter, 'a');
    expect(reader.earlierReply('k')).toBeUndefined();
    await reader.read(counter, 'b');
    expect(reader.earlierReply('k')).toMatchObject({
      stream: 'counter-b',
      reply: { code: 10000, revision: 0 },
    });
  });
});
