// One contract, run against every adapter (memory, JetStream, EventStoreDB).
// Each test works on streams named with a token of its own and filters global
// reads by that token, so it also holds on a server shared with other data.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  KeyAlreadyUsed,
  PayloadTooLarge,
  type RecordedEvent,
  WrongExpectedRevision,
} from '../port.ts';

export interface ContractTarget {
  /**
   * Opens a store on `namespace`. Opening the same namespace again must see the
   * same data (that is how the suite simulates a restart of the process).
   */
  open(namespace: string): Promise<EventStore>;
  /** Removes whatever the namespaces left on a shared server. */
  dispose?(namespaces: readonly string[]): Promise<void>;
  /** False when the backend has no namespaces (EventStoreDB): the isolation case is then not part of its contract. */
  readonly isolatesNamespaces: boolean;
}

let counter = 0;
/** A token unique to one test, usable in stream names and namespaces. */
const token = (): string =>
  `t${Date.now().toString(36)}${(counter++).toString(36)}${randomUUID().slice(0, 6)}`;

export const event = (
  type: string,
  data: unknown = {},
  metadata: Record<string, unknown> = {},
): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata,
});

const collect = async <T>(iterable: AsyncIterable<T>, keep: (x: T) => boolean = () => true): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of iterable) if (keep(x)) out.push(x);
  return out;
};

/** The error `promise` was rejected with, which must be a `type`. */
const rejectionOf = async <E extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E,
): Promise<E> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
};
const conflictOf = (promise: Promise<unknown>) => rejectionOf(promise, WrongExpectedRevision);
const refusal = (promise: Promise<unknown>) => rejectionOf(promise, KeyAlreadyUsed);

/**
 * Reads a subscription until `count` matching events arrived, or 10 s
 * passed: then what arrived is answered, so a missed event fails the test's
 * own assertion, naming what came, instead of running into its timeout.
 */
const take = async (
  sub: AsyncIterable<RecordedEvent>,
  count: number,
  keep: (e: RecordedEvent) => boolean,
  deadlineMs = 10_000,
): Promise<RecordedEvent[]> => {
  const seen: RecordedEvent[] = [];
  if (count === 0) return seen;
  const iterator = sub[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), deadlineMs);
  });
  try {
    while (seen.length < count) {
      const next = await Promise.race([iterator.next(), deadline]);
      if (next === 'late' || next.done) break;
      if (keep(next.value)) seen.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return seen;
};

export function eventStoreContract(name: string, target: ContractTarget): void {
  describe(`event store contract: ${name}`, () => {
    const namespaces: string[] = [];
    const stores: EventStore[] = [];
    const open = async (namespace?: string): Promise<{ store: EventStore; ns: string }> => {
      const ns = namespace ?? token();
      if (!namespaces.includes(ns)) namespaces.push(ns);
      const store = await target.open(ns);
      stores.push(store);
      return { store, ns };
    };
    afterAll(async () => {
      for (const s of stores) await s.close().catch(() => undefined);
      await target.dispose?.(namespaces);
    });

    describe('reading back what was written', () => {
      it('returns events with their data, metadata and unicode intact, numbered from revision 0', async () => {
        const { store } = await open();
        const stream = `camera-${token()}`;
        const first = event(
          'CameraAdded',
          { name: 'Caméra entrée 🎥', tags: ['a', 'ß'], n: 1.5 },
          { actor: 'usr_1' },
        );
        const second = event(
          'CameraRenamed',
          { name: '北門' },
          { correlationId: 'c-1', nested: { deep: [1, 2] } },
        );
        const result = await store.append(stream, [first, second], { expectedRevision: 'no_stream' });
        const read = await store.readStream(stream);
        expect(read.map((e) => [e.id, e.stream, e.revision, e.type, e.data, e.metadata])).toEqual([
          [first.id, stream, 0, first.type, first.data, first.metadata],
          [second.id, stream, 1, second.type, second.data, second.metadata],
        ]);
        // Both events belong to one append: they share its position, and the last one says it ends it.
        expect(result).toEqual({ revision: 1, position: read[1]!.position });
        expect(read[0]!.position).toBe(read[1]!.position);
        expect(read.map((e) => e.lastInAppend)).toEqual([false, true]);
      });

      it('data and metadata read back as their JSON: a Date as its string, NaN as null, undefined left out', async () => {
        const { store } = await open();
        const stream = `camera-${token()}`;
        const data = { at: new Date(0), ratio: Number.NaN, gone: undefined, seen: new Map([['a', 1]]) };
        const metadata = { at: new Date(0), ratio: Number.NaN };
        const head = await store.headPosition();
        await store.append(stream, [event('Odd', data, metadata)], { expectedRevision: 'no_stream' });
        const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
        const read = [
          ...(await store.readStream(stream)),
          ...(await collect(store.readAll({ from: head }), (e) => e.stream === stream)),
        ];
        expect(read).toHaveLength(2);
        for (const e of read) {
          expect(e.data).toStrictEqual(asJson(data));
          expect(e.metadata).toStrictEqual(asJson(metadata));
        }
      });

      it('reads from a given revision, and a missing stream reads as empty', async () => {
        const { store } = await open();
        const stream = `camera-${token()}`;
        await store.append(stream, [event('A'), event('B')], { expectedRevision: 'no_stream' });
        await store.append(stream, [event('C')], { expectedRevision: 1 });
        expect((await store.readStream(stream, { fromRevision: 1 })).map((e) => e.type)).toEqual(['B', 'C']);
        expect(await store.readStream(stream, { fromRevision: 3 })).toEqual([]);
        expect(await store.readStream(`camera-${token()}`)).toEqual([]);
        // Revisions at least `fromRevision`: a fraction starts at the next whole one, NaN matches none.
        expect((await store.readStream(stream, { fromRevision: 1.5 })).map((e) => e.type)).toEqual(['C']);
        expect(await store.readStream(stream, { fromRevision: Number.NaN })).toEqual([]);
      });

      it('a long stream reads back whole and from any revision', async () => {
        const { store } = await open();
        const stream = `camera-${token()}`;
        const appends = 150;
        for (let i = 0; i < appends; i++) {
          const size = i % 5 === 0 ? 2 : 1;
          await store.append(
            stream,
            Array.from({ length: size }, () => event('Tick', { i })),
            { expectedRevision: 'any' },
          );
        }
        const all = await store.readStream(stream);
        expect(all.map((e) => e.revision)).toEqual(all.map((_, i) => i));
        expect(all).toHaveLength(appends + appends / 5);
        for (const from of [0, 1, 63, 64, 65, 100, 128, all.length - 1, all.length]) {
          expect((await store.readStream(stream, { fromRevision: from })).map((e) => e.id)).toEqual(
            all.slice(from).map((e) => e.id),
          );
        }
      });

      it('two processes on one namespace see each other and conflict correctly', async () => {
        const { store: one, ns } = await open();
        const { store: two } = await open(ns);
        const stream = `item-${token()}`;
        await one.append(stream, [event('A')], { expectedRevision: 'no_stream' });
        expect(await two.readStream(stream)).toHaveLength(1);
        await two.append(stream, [event('B')], { expectedRevision: 0 });
        // `one` last saw revision 0: its next append at 0 must conflict, not overwrite.
        expect((await conflictOf(one.append(stream, [event('C')], { expectedRevision: 0 }))).actual).toBe(1);
        await one.append(stream, [event('C')], { expectedRevision: 1 });
        expect((await two.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('a process whose last look at a stream is stale appends at the revision it learned elsewhere, and a conflict names the actual one', async () => {
        const { store: one, ns } = await open();
        const { store: two } = await open(ns);
        const [stream, other] = [`item-${token()}`, `item-${token()}`];
        for (const s of [stream, other]) {
          await one.append(s, [event('A')], { expectedRevision: 'no_stream' });
          await two.append(s, [event('B')], { expectedRevision: 0 });
        }
        // `one` learned of B from the log (a follower), not by reading the stream: revision 1 is right.
        await one.append(stream, [event('C')], { expectedRevision: 1 });
        expect((await two.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
        // A wrong guess is refused with the stream's actual revision, not the one `one` last saw.
        expect((await conflictOf(one.append(other, [event('C')], { expectedRevision: 5 }))).actual).toBe(1);
        expect(await two.readStream(other)).toHaveLength(2);
      });
    });

    describe('expected revision', () => {
      const cases: { expected: ExpectedRevision; existing: number; ok: boolean }[] = [
        { expected: 'no_stream', existing: 0, ok: true },
        { expected: 'no_stream', existing: 2, ok: false },
        { expected: -1, existing: 0, ok: true },
        { expected: -1, existing: 1, ok: false },
        { expected: 'exists', existing: 0, ok: false },
        { expected: 'exists', existing: 2, ok: true },
        { expected: 'any', existing: 0, ok: true },
        { expected: 'any', existing: 3, ok: true },
        { expected: 1, existing: 2, ok: true },
        { expected: 0, existing: 2, ok: false },
        { expected: 5, existing: 2, ok: false },
        { expected: 0, existing: 0, ok: false },
      ];
      for (const { expected, existing, ok } of cases) {
        it(`${String(expected)} on a stream of ${existing} event(s) ${ok ? 'appends' : 'conflicts, carrying the actual revision'}`, async () => {
          const { store } = await open();
          const stream = `folder-${token()}`;
          if (existing > 0) {
            await store.append(
              stream,
              Array.from({ length: existing }, () => event('Seeded')),
              { expectedRevision: 'no_stream' },
            );
          }
          const attempt = store.append(stream, [event('Next')], { expectedRevision: expected });
          if (ok) {
            expect((await attempt).revision).toBe(existing);
            expect(await store.readStream(stream)).toHaveLength(existing + 1);
          } else {
            const conflict = await conflictOf(attempt);
            expect(conflict.stream).toBe(stream);
            expect(conflict.actual).toBe(existing - 1);
            expect(conflict.expected).toBe(expected);
            expect(await store.readStream(stream)).toHaveLength(existing);
          }
        });
      }

      it('lets exactly one of 50 concurrent appends at the same revision win; the rest see the winner', async () => {
        const { store } = await open();
        const stream = `item-${token()}`;
        await store.append(stream, [event('Created')], { expectedRevision: 'no_stream' });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 50 }, (_, i) =>
            store.append(stream, [event('Renamed', { i })], { expectedRevision: 0 }),
          ),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(49);
        for (const l of lost) {
          expect(l.reason).toBeInstanceOf(WrongExpectedRevision);
          expect((l.reason as WrongExpectedRevision).actual).toBe(1);
        }
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('idempotent retries', () => {
      it('a retry with the same event ids answers as the first time and writes nothing', async () => {
        const { store } = await open();
        const stream = `item-${token()}`;
        const batch = [event('Created'), event('Tagged')];
        const answer = await store.append(stream, batch, { expectedRevision: 'no_stream' });
        const first = { ...answer };
        // The answer is the caller's to change: a retry still answers as the first time.
        (answer as { position: number }).position = -1;
        expect(await store.append(stream, batch, { expectedRevision: 'no_stream' })).toEqual(first);
        expect(await store.append(stream, batch, { expectedRevision: 'any' })).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('a late retry after other appends, from a restarted process, still answers as the first time', async () => {
        const { store, ns } = await open();
        const stream = `item-${token()}`;
        await store.append(stream, [event('Created')], { expectedRevision: 'no_stream' });
        const batch = [event('Renamed'), event('Moved')];
        const first = await store.append(stream, batch, { expectedRevision: 0 });
        await store.append(stream, [event('Tagged')], { expectedRevision: 2 });
        await store.close();
        const { store: restarted } = await open(ns);
        expect(await restarted.append(stream, batch, { expectedRevision: 0 })).toEqual(first);
        expect((await restarted.readStream(stream)).map((e) => e.type)).toEqual([
          'Created',
          'Renamed',
          'Moved',
          'Tagged',
        ]);
      });

      it('an append with new ids at a stale revision still conflicts', async () => {
        const { store } = await open();
        const stream = `item-${token()}`;
        await store.append(stream, [event('Created')], { expectedRevision: 'no_stream' });
        await store.append(stream, [event('Renamed')], { expectedRevision: 0 });
        expect(
          (await conflictOf(store.append(stream, [event('Moved')], { expectedRevision: 0 }))).actual,
        ).toBe(1);
      });
    });

    describe('keyed appends (stores with key memory)', () => {
      it('a key used by one append refuses another append under it, on any stream, and writes nothing', async () => {
        const { store } = await open();
        const key = token();
        const [a, b] = [`account-${token()}`, `item-${token()}`];
        const first = [event('Credited', { n: 1 }), event('Noted', {}, { commandKey: key })];
        const result = await store.append(a, first, { expectedRevision: 'no_stream', key });
        if (store.keyMemoryMs === undefined) {
          // No key memory: the key is ignored and the second append is written.
          await store.append(b, [event('Created')], { expectedRevision: 'no_stream', key });
          expect(await store.readStream(b)).toHaveLength(1);
          return;
        }
        const used = await refusal(
          store.append(b, [event('Created')], { expectedRevision: 'no_stream', key }),
        );
        expect(used.earlier.map((e) => [e.stream, e.revision, e.position, e.type])).toEqual([
          [a, 0, result.position, 'Credited'],
          [a, 1, result.position, 'Noted'],
        ]);
        expect(used.earlier[1]?.metadata).toEqual({ commandKey: key });
        expect(await store.readStream(b)).toEqual([]);
        // On the same stream, with other events, too (a retry that decided differently).
        await refusal(store.append(a, [event('Debited')], { expectedRevision: 1, key }));
        expect(await store.readStream(a)).toHaveLength(2);
      });

      it('the same keyed append again answers as the first time; a conflict does not use the key up', async () => {
        const { store, ns } = await open();
        const key = token();
        const stream = `account-${token()}`;
        await store.append(stream, [event('Opened')], { expectedRevision: 'no_stream' });
        const batch = [event('Credited')];
        await conflictOf(store.append(stream, batch, { expectedRevision: 'no_stream', key }));
        const first = await store.append(stream, batch, { expectedRevision: 0, key });
        await store.append(stream, [event('Debited')], { expectedRevision: 1 });
        expect(await store.append(stream, batch, { expectedRevision: 0, key })).toEqual(first);
        await store.close();
        const { store: restarted } = await open(ns);
        expect(await restarted.append(stream, batch, { expectedRevision: 0, key })).toEqual(first);
        expect((await restarted.readStream(stream)).map((e) => e.type)).toEqual([
          'Opened',
          'Credited',
          'Debited',
        ]);
      });

      it('the key is checked first: a key another append used refuses an append whose ids repeat an earlier one', async () => {
        const { store } = await open();
        const [one, other] = [token(), token()];
        const stream = `account-${token()}`;
        const batch = [event('Credited')];
        const first = await store.append(stream, batch, { expectedRevision: 'no_stream', key: one });
        const taken = await store.append(`item-${token()}`, [event('Created')], {
          expectedRevision: 'no_stream',
          key: other,
        });
        const retry = store.append(stream, batch, { expectedRevision: 'no_stream', key: other });
        if (store.keyMemoryMs === undefined) {
          // No key memory: the key is ignored, and the ids make it a retry.
          expect(await retry).toEqual(first);
          return;
        }
        const used = await refusal(retry);
        expect(used.earlier.map((e) => e.position)).toEqual([taken.position]);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('findKeyedAppend answers the events of the append a key was used for, and writes nothing', async () => {
        const { store } = await open();
        if (!store.findKeyedAppend) {
          expect(store.keyMemoryMs).toBeUndefined();
          return;
        }
        const key = token();
        const stream = `folder-${token()}`;
        expect(await store.findKeyedAppend(key)).toBeUndefined();
        const head = await store.headPosition();
        const appended = await store.append(stream, [event('Created'), event('Named')], {
          expectedRevision: 'no_stream',
          key,
        });
        expect(appended.position).toBeGreaterThan(head);
        const found = await store.findKeyedAppend(key);
        expect(found?.map((e) => [e.stream, e.revision, e.position, e.type])).toEqual([
          [stream, 0, appended.position, 'Created'],
          [stream, 1, appended.position, 'Named'],
        ]);
        expect(await store.findKeyedAppend(token())).toBeUndefined();
        expect(await store.headPosition()).toBe(appended.position);
        // The key still works as before: asking did not use it up or write it anywhere.
        const other = `folder-${token()}`;
        await refusal(store.append(other, [event('Created')], { expectedRevision: 'no_stream', key }));
        const fresh = token();
        await store.append(other, [event('Created')], { expectedRevision: 'no_stream', key: fresh });
        expect((await store.findKeyedAppend(fresh))?.[0]?.stream).toBe(other);
      });
    });

    describe('atomicity', () => {
      it('readers never see part of a multi-event append', async () => {
        const { store } = await open();
        const stream = `network-${token()}`;
        const batches = 12;
        const size = 4;
        let writing = true;
        const observed: number[] = [];
        const reader = (async () => {
          while (writing) observed.push((await store.readStream(stream)).length);
        })();
        for (let b = 0; b < batches; b++) {
          await store.append(
            stream,
            Array.from({ length: size }, (_, i) => event('Step', { b, i })),
            { expectedRevision: b * size - 1 },
          );
        }
        writing = false;
        await reader;
        expect(observed.length).toBeGreaterThan(0);
        expect(observed.every((n) => n % size === 0)).toBe(true);
        const all = await store.readStream(stream);
        expect(all.map((e) => e.revision)).toEqual(Array.from({ length: batches * size }, (_, i) => i));
      });

      it('an append over the size limit fails with a typed error and leaves nothing behind', async () => {
        const { store } = await open();
        const stream = `message-${token()}`;
        const big = 'x'.repeat(2 * 1024 * 1024);
        const error = await store
          .append(stream, [event('Small'), event('Huge', { body: big })], { expectedRevision: 'no_stream' })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error).toBeInstanceOf(PayloadTooLarge);
        const tooLarge = error as PayloadTooLarge;
        expect(tooLarge.bytes).toBeGreaterThan(tooLarge.limit);
        expect(await store.readStream(stream)).toEqual([]);
        expect(
          (await store.append(stream, [event('Small')], { expectedRevision: 'no_stream' })).revision,
        ).toBe(0);
      });
    });

    describe('the global log', () => {
      it('readAll yields events in append order, and resumes from any position with no gap and no duplicate', async () => {
        const { store } = await open();
        const run = token();
        const names = ['a', 'b', 'c'].map((s) => `account-${run}${s}`);
        const appended: string[] = [];
        for (let i = 0; i < 9; i++) {
          const batch = Array.from({ length: (i % 3) + 1 }, () => event('Step', { i }));
          await store.append(names[i % 3]!, batch, { expectedRevision: 'any' });
          appended.push(...batch.map((e) => e.id));
        }
        const ours = (e: RecordedEvent) => e.stream.includes(run);
        const all = await collect(store.readAll(), ours);
        expect(all.map((e) => e.id)).toEqual(appended);
        // Resume after every append: exactly the events of later appends follow.
        for (let k = 0; k < all.length; k++) {
          const rest = await collect(store.readAll({ from: all[k]!.position }), ours);
          const firstLater = all.findIndex((e) => e.position > all[k]!.position);
          expect(rest.map((e) => e.id)).toEqual(firstLater < 0 ? [] : appended.slice(firstLater));
        }
      });

      it('positions are integers that grow strictly from append to append and are shared within one', async () => {
        const { store } = await open();
        const run = token();
        const results: AppendResult[] = [];
        const sizes = [1, 3, 1, 2, 1];
        for (const [i, size] of sizes.entries()) {
          const batch = Array.from({ length: size }, () => event('Step', { i }));
          results.push(await store.append(`account-${run}${i % 2}`, batch, { expectedRevision: 'any' }));
        }
        const all = await collect(store.readAll(), (e) => e.stream.includes(run));
        for (const e of all) {
          expect(Number.isSafeInteger(e.position)).toBe(true);
          expect(e.position).toBeGreaterThan(0);
        }
        // Grouped by append: each group carries its append's result position, and only its last event ends it.
        let at = 0;
        for (const [k, size] of sizes.entries()) {
          const group = all.slice(at, at + size);
          at += size;
          expect(group.map((e) => e.position)).toEqual(group.map(() => results[k]!.position));
          expect(group.map((e) => e.lastInAppend)).toEqual(group.map((_, i) => i === size - 1));
          if (k > 0) expect(results[k]!.position).toBeGreaterThan(results[k - 1]!.position);
        }
        expect(at).toBe(all.length);
        // Subscribing from a position resumes strictly after that append, like readAll.
        const sub = store.subscribeAll({ from: results[1]!.position });
        const rest = await take(sub, 4, (e) => e.stream.includes(run));
        await sub.close();
        expect(rest.map((e) => e.position)).toEqual([
          results[2]!.position,
          results[3]!.position,
          results[3]!.position,
          results[4]!.position,
        ]);
      });

      it('the head is the position of the last append, and a read refuses a position that is not one', async () => {
        const { store } = await open();
        const before = await store.headPosition();
        expect(Number.isSafeInteger(before)).toBe(true);
        const appended = await store.append(`camera-${token()}`, [event('A'), event('B')], {
          expectedRevision: 'no_stream',
        });
        const head = await store.headPosition();
        expect(head).toBeGreaterThanOrEqual(appended.position);
        expect(appended.position).toBeGreaterThan(before);
        if (target.isolatesNamespaces) expect(head).toBe(appended.position);
        for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) {
          await expect(collect(store.readAll({ from: bad }))).rejects.toThrow(TypeError);
        }
      });

      it('the log id is the same for every process on one log, and another log has another', async () => {
        const { store, ns } = await open();
        const { store: again } = await open(ns);
        const id = await store.logId();
        expect(id.length).toBeGreaterThan(0);
        expect(await again.logId()).toBe(id);
        if (target.isolatesNamespaces) {
          const { store: other } = await open();
          expect(await other.logId()).not.toBe(id);
        }
      });

      it('a subscription catches up, goes live, and resumes from a checkpoint with no gap and no duplicate', async () => {
        const { store } = await open();
        const run = token();
        const stream = `camera-${run}`;
        const ours = (e: RecordedEvent) => e.stream.includes(run);
        const marker = await store.append(`camera-${run}marker`, [event('Marker')], {
          expectedRevision: 'any',
        });
        const before = [event('B1'), event('B2'), event('B3')];
        await store.append(stream, before, { expectedRevision: 'no_stream' });

        const sub = store.subscribeAll({ from: marker.position });
        const iterator = sub[Symbol.asyncIterator]();
        const seen: RecordedEvent[] = [];
        const pull = async (n: number) => {
          while (seen.filter(ours).length < n) {
            const next = await iterator.next();
            if (next.done) break;
            if (ours(next.value)) seen.push(next.value);
          }
        };
        await pull(3);
        // Appended while the subscription is already running: must arrive live.
        const during = [event('L1'), event('L2')];
        const appendedLive = store.append(stream, during, { expectedRevision: 2 });
        await pull(5);
        await appendedLive;
        await sub.close();
        expect(seen.map((e) => e.id)).toEqual([...before, ...during].map((e) => e.id));

        // Resume from the checkpoint a reader saves at the end of the first append, including
        // events appended while nobody listened.
        const after = [event('A1')];
        await store.append(stream, after, { expectedRevision: 4 });
        const checkpoint = seen.find((e) => e.lastInAppend)!;
        expect(checkpoint.id).toBe(before[2]!.id);
        const resumed = store.subscribeAll({ from: checkpoint.position });
        const rest = await take(resumed, 3, ours);
        await resumed.close();
        expect(rest.map((e) => e.id)).toEqual([...during, ...after].map((e) => e.id));
      });
    });

    it('a subscription from a position past the head delivers only the appends after that position', async () => {
      const { store } = await open();
      const run = token();
      const stream = `camera-${run}`;
      const ours = (e: RecordedEvent) => e.stream.includes(run);
      await store.append(stream, [event('Before')], { expectedRevision: 'no_stream' });
      const from = (await store.headPosition()) + 2;
      const sub = store.subscribeAll({ from });
      // The subscription opens asynchronously on a server: let it open while `from` is still ahead.
      await new Promise((r) => setTimeout(r, 300));
      const later: AppendResult[] = [];
      for (let i = 0; i < 3; i++)
        later.push(await store.append(stream, [event(`Later${i}`)], { expectedRevision: i }));
      // One more than expected is asked for, so anything delivered at or before `from` shows.
      const wanted = later.filter((r) => r.position > from).map((r) => r.position);
      const seen = await take(sub, wanted.length + 1, ours, 1_500);
      await sub.close();
      expect(seen.map((e) => e.position)).toEqual(wanted);
    });

    it('a subscription from the end skips history and delivers what is appended after it opened', async () => {
      const { store } = await open();
      const run = token();
      const stream = `camera-${run}`;
      const ours = (e: RecordedEvent) => e.stream.includes(run);
      await store.append(stream, [event('Old')], { expectedRevision: 'no_stream' });
      const sub = store.subscribeAll({ fromEnd: true });
      // The subscription opens asynchronously on a server: give it a moment before the live append.
      await new Promise((r) => setTimeout(r, 300));
      const fresh = event('Fresh');
      await store.append(stream, [fresh], { expectedRevision: 0 });
      const seen = await take(sub, 1, ours);
      await sub.close();
      expect(seen.map((e) => e.id)).toEqual([fresh.id]);
    });

    it('followAppends hands over every append another store object makes, whole and in log order', async () => {
      const { store, ns } = await open();
      const { store: other } = await open(ns);
      const run = token();
      const handed: string[][] = [];
      const following = store.followAppends(
        (events) => {
          if (events[0]?.stream === `camera-${run}-theirs`) handed.push(events.map((e) => e.id));
        },
        { othersOnly: true },
      );
      // Following opens asynchronously on a server: give it a moment before the appends.
      await new Promise((r) => setTimeout(r, 300));
      // Interleaved with appends of its own, which it may or may not be handed back.
      const theirs = [[event('A1'), event('A2'), event('A3')], [event('B')], [event('C1'), event('C2')]];
      let revision = -1;
      for (const [i, append] of theirs.entries()) {
        await store.append(`camera-${run}-own`, [event('Own')], { expectedRevision: i - 1 });
        revision = (await other.append(`camera-${run}-theirs`, append, { expectedRevision: revision }))
          .revision;
      }
      for (let waited = 0; handed.length < theirs.length && waited < 10_000; waited += 20)
        await new Promise((r) => setTimeout(r, 20));
      await following.close();
      expect(handed).toEqual(theirs.map((append) => append.map((e) => e.id)));
    });

    it('following ends when its callback throws, and says why; a closed one reports nothing', async () => {
      const { store } = await open();
      const run = token();
      const broken = store.followAppends((events) => {
        if (events[0]?.stream.includes(run)) throw new Error(`cannot fold ${run}`);
      });
      const closed = store.followAppends(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      await closed.close();
      await store.append(`camera-${run}`, [event('Unfoldable')], { expectedRevision: 'no_stream' });
      const why = await Promise.race([
        broken.ended,
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 10_000)),
      ]);
      expect(why?.message).toContain(`cannot fold ${run}`);
      const late = await Promise.race([closed.ended, new Promise((r) => setTimeout(() => r('silent'), 300))]);
      expect(late).toBe('silent');
      await broken.close();
    });

    it('closing the store stops its followings, which then report nothing', async () => {
      const { store } = await open();
      const following = store.followAppends(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      await store.close();
      const late = await Promise.race([
        following.ended,
        new Promise((r) => setTimeout(() => r('silent'), 300)),
      ]);
      expect(late).toBe('silent');
      await following.close();
    });

    it('a subscriber that falls behind a long catch-up still receives every event, in order', async () => {
      const { store } = await open();
      const run = token();
      const stream = `item-${run}`;
      const ours = (e: RecordedEvent) => e.stream.includes(run);
      const marker = await store.append(`item-${run}marker`, [event('Marker')], { expectedRevision: 'any' });
      for (let b = 0; b < 25; b++) {
        await store.append(
          stream,
          Array.from({ length: 100 }, (_, i) => event('Bulk', { n: b * 100 + i })),
          { expectedRevision: b * 100 - 1 },
        );
      }
      const sub = store.subscribeAll({ from: marker.position });
      const seen: number[] = [];
      for await (const e of sub) {
        if (!ours(e)) continue;
        seen.push(e.revision);
        // A slow consumer: yields to the event loop now and then so the source runs ahead.
        if (seen.length % 500 === 0) await new Promise((r) => setTimeout(r, 20));
        if (seen.length === 2500) break;
      }
      await sub.close();
      expect(seen).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    });

    if (target.isolatesNamespaces) {
      it('two namespaces on one server never see each other', async () => {
        const { store: one } = await open();
        const { store: two } = await open();
        const stream = `item-${token()}`;
        const mine = event('Mine');
        const theirs = event('Theirs');
        await one.append(stream, [mine], { expectedRevision: 'no_stream' });
        await two.append(stream, [theirs], { expectedRevision: 'no_stream' });
        expect((await one.readStream(stream)).map((e) => e.id)).toEqual([mine.id]);
        expect((await two.readStream(stream)).map((e) => e.id)).toEqual([theirs.id]);
        expect((await collect(two.readAll())).map((e) => e.id)).toEqual([theirs.id]);
      });
    }

    it('random interleavings of writers keep every stream contiguous and readAll exact', async () => {
      const { store } = await open();
      const writer = fc.array(
        fc.record({
          stream: fc.integer({ min: 0, max: 2 }),
          size: fc.integer({ min: 1, max: 3 }),
          mode: fc.constantFrom('any', 'read-then-exact', 'stale'),
        }),
        { minLength: 1, maxLength: 6 },
      );
      await fc.assert(
        fc.asyncProperty(fc.array(writer, { minLength: 1, maxLength: 4 }), async (writers) => {
          const run = token();
          const acknowledged = new Set<string>();
          await Promise.all(
            writers.map(async (ops) => {
              for (const op of ops) {
                const stream = `folder-${run}s${op.stream}`;
                const batch = Array.from({ length: op.size }, () => event('Op'));
                const expected: ExpectedRevision =
                  op.mode === 'any'
                    ? 'any'
                    : op.mode === 'stale'
                      ? -1
                      : (await store.readStream(stream)).length - 1;
                try {
                  await store.append(stream, batch, { expectedRevision: expected });
                  for (const e of batch) acknowledged.add(e.id);
                } catch (error) {
                  if (!(error instanceof WrongExpectedRevision)) throw error;
                }
              }
            }),
          );
          for (let s = 0; s < 3; s++) {
            const events = await store.readStream(`folder-${run}s${s}`);
            expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
          }
          const all = await collect(store.readAll(), (e) => e.stream.includes(run));
          expect(all.map((e) => e.id).sort()).toEqual([...acknowledged].sort());
        }),
        { numRuns: 12 },
      );
    });
  });
}
