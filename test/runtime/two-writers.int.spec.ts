import { type Aggregate, type DomainEvent, fold } from '@camledger/domain';
import { type EventStore, WrongExpectedRevision } from '@camledger/event-store';
import { createRuntimeDeps, execute, type RuntimeDeps, routeOf, StateCache } from '@camledger/runtime';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jetStreamShared, memoryShared, type SharedStore, sharedStoreOf } from './stores.ts';

// Two writers (two caches, two runtimes: two workers) over one store, on the
// memory adapter and on the real JetStream server. A cache must never run
// ahead of the store: whatever reads and appends overlap, every state it
// answers is exactly the fold of the store's events up to the revision it
// names.

/** The sum of the events' amounts: an event folded twice or missed changes it. */
const tally: Aggregate<number, DomainEvent<'Added', { n: number }>> = {
  category: 'tally',
  initial: 0,
  evolve: (sum, e) => sum + e.data.n,
};

async function freshFold(store: EventStore, stream: string, revision: number): Promise<number> {
  const events = (await store.readStream(stream)).filter((e) => e.revision <= revision);
  return fold(tally, events as unknown as DomainEvent<'Added', { n: number }>[]);
}

type Op = { writer: 0 | 1; kind: 'read' } | { writer: 0 | 1; kind: 'append'; n: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ writer: fc.constantFrom<0 | 1>(0, 1), kind: fc.constant('read' as const) }),
  fc.record({
    writer: fc.constantFrom<0 | 1>(0, 1),
    kind: fc.constant('append' as const),
    n: fc.integer({ min: 1, max: 9 }),
  }),
);
/** Each step is a burst of operations started at once, so reads and appends overlap. */
const stepsArb = fc.array(fc.array(opArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });

let streams = 0;
async function runSteps(store: EventStore, steps: readonly (readonly Op[])[]): Promise<void> {
  const id = `t${++streams}`;
  const stream = `tally-${id}`;
  const caches = [new StateCache(store), new StateCache(store)] as const;
  const seen: { state: number; revision: number }[] = [];
  const append = async (cache: StateCache, n: number) => {
    // As a command does: read through the cache, append at that revision, fold the append back in.
    const loaded = await cache.read(tally, id);
    const event = { id: crypto.randomUUID(), type: 'Added', data: { n }, metadata: {} };
    try {
      const result = await store.append(stream, [event], {
        expectedRevision: loaded.revision < 0 ? 'no_stream' : loaded.revision,
      });
      cache.applyAppended(stream, [
        { ...event, stream, revision: result.revision, position: result.position },
      ]);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevision)) throw error;
      cache.invalidate(stream);
    }
  };
  for (const step of steps) {
    await Promise.all(
      step.map(async (op) => {
        const cache = caches[op.writer];
        if (op.kind === 'append') return append(cache, op.n);
        const { state, revision } = await cache.read(tally, id);
        seen.push({ state, revision });
      }),
    );
    // After every step: every state a cache answered in it is a fresh fold.
    // (The caches are not read again here: events the other writer appended
    // stay pending for the next step, where overlapping reads meet them.)
    for (const { state, revision } of seen.splice(0))
      expect(state, `state at revision ${revision}`).toBe(await freshFold(store, stream, revision));
  }
}

const stores: [string, () => Promise<SharedStore>, number][] = [
  ['memory', memoryShared, 100],
  ['JetStream', jetStreamShared, 8],
];

describe.each(stores)('two writers over one %s store', (_name, open, numRuns) => {
  const shared = sharedStoreOf(open);

  it('every state a cache answers is the fold of the store up to its revision, under overlapping reads and appends', async () => {
    await fc.assert(
      fc.asyncProperty(stepsArb, (steps) => runSteps(shared.store, steps)),
      { numRuns },
    );
  });

  it('2 credits and 10 concurrent start_liveview through two workers: at most 2 accepted', async () => {
    // Reads that take a little while, as over a network: a read asked before an
    // append may then return after it, which is when overlapping folds happen.
    const jittery: EventStore = Object.assign(Object.create(shared.store) as EventStore, {
      readStream: async (...args: Parameters<EventStore['readStream']>) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        return shared.store.readStream(...args);
      },
    });
    const workers = [0, 1].map(() => createRuntimeDeps({ store: jittery, replies: shared.replies }));
    const send = async (deps: RuntimeDeps, name: string, actor: string, payload: Record<string, unknown>) => {
      const route = routeOf(actor === 'system' ? 'internal' : 'cmd', name);
      if (!route) throw new Error(`no route for ${name}`);
      return execute(deps, route, { command_id: crypto.randomUUID(), actor, payload });
    };
    const [a, b] = workers as [RuntimeDeps, RuntimeDeps];
    // Several rounds, as the race needs the right overlap to show.
    for (let round = 0; round < 5; round++) {
      const user = await send(a, 'account.register', 'system', {
        username: `liz${round}${Date.now().toString(36)}`,
      });
      const userId = user.ok ? (user.result.user_id as string) : '';
      const camera = await send(a, 'camera.register', 'system', {
        owner_id: userId,
        label: 'porch',
        live_view_capable: 1,
      });
      const cameraId = camera.ok ? (camera.result.camera_id as string) : '';
      await send(a, 'camera.liveview_connected', 'system', { camera_id: cameraId });
      // The credits land while the same worker reads the account for other commands of the user.
      const update = (deps: RuntimeDeps) =>
        send(deps, 'camera.update', userId, { camera_id: cameraId, label: 'x' });
      await Promise.all([
        send(a, 'account.add_credits', 'system', { user_id: userId, credits: 2 }),
        ...Array.from({ length: 4 }, () => update(a)),
      ]);
      await Promise.all([update(a), update(b)]);

      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          send(i % 2 === 0 ? a : b, 'camera.start_liveview', userId, { camera_id: cameraId }),
        ),
      );
      expect(replies.filter((r) => r.ok)).toHaveLength(2);
      expect(replies.filter((r) => !r.ok).every((r) => r.code === 1000)).toBe(true);
    }
  });
});
