// The work queue's contract, run against every adapter that can run here
// (memory, JetStream). Each test has a namespace (a log) of its own.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AlreadySettled,
  type EventStore,
  type ParkedWork,
  type WorkConsumer,
  type WorkItem,
  type WorkQueue,
  type WorkQueueOptions,
} from '../port.ts';
import { event } from './event-store.contract.ts';

export interface WorkQueueTarget {
  /** The store of a namespace; the same one (or one on the same log) every time it is asked. */
  store(namespace: string): Promise<EventStore>;
  /** Opens a queue on the namespace's log, as one more worker (or a restarted one) would. */
  open(namespace: string, options: WorkQueueOptions): Promise<WorkQueue>;
  dispose?(namespaces: readonly string[]): Promise<void>;
}

const ackWaitMs = 1_000;
const types = ['UsernameClaimed', 'FolderCreated'];

/**
 * Takes items from a consumer until `count` arrived or `ms` passed. `settle`
 * runs as each arrives (an item left unsettled past the ack wait comes back).
 */
const takeFor = async (
  consumer: WorkConsumer,
  count: number,
  ms: number,
  settle?: (item: WorkItem) => Promise<void>,
): Promise<WorkItem[]> => {
  const got: WorkItem[] = [];
  const iterator = consumer[Symbol.asyncIterator]();
  const deadline = Date.now() + ms;
  while (got.length < count) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const next = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), left)),
    ]);
    if (next === 'timeout' || next.done) break;
    got.push(next.value);
    await settle?.(next.value);
  }
  return got;
};

/**
 * Reads a consumer through one iterator for the whole test. A read that
 * timed out leaves its `next()` pending; the following read waits on that
 * same call, so no item is taken by a read nobody listens to any more.
 */
const readerOf = (consumer: WorkConsumer) => {
  const iterator = consumer[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<WorkItem>> | undefined;
  return async (ms: number): Promise<WorkItem | undefined> => {
    pending ??= iterator.next();
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      pending,
      new Promise<'timeout'>((r) => {
        timer = setTimeout(() => r('timeout'), ms);
      }),
    ]);
    clearTimeout(timer);
    if (next === 'timeout') return undefined;
    pending = undefined;
    return next.done ? undefined : next.value;
  };
};

export function workQueueContract(name: string, target: WorkQueueTarget): void {
  describe(`work queue contract: ${name}`, () => {
    const namespaces: string[] = [];
    const queues: WorkQueue[] = [];
    const fresh = async () => {
      const ns = `wq${Date.now().toString(36)}${randomUUID().slice(0, 6)}`;
      namespaces.push(ns);
      return { ns, store: await target.store(ns) };
    };
    const open = async (ns: string, options: Partial<WorkQueueOptions> = {}) => {
      const queue = await target.open(ns, { types, ackWaitMs, ...options });
      queues.push(queue);
      return queue;
    };
    afterAll(async () => {
      for (const q of queues) await q.close().catch(() => undefined);
      await target.dispose?.(namespaces);
    });

    it('hands each matching append to one of two workers once, with only the matching events', async () => {
      const { ns, store } = await fresh();
      const expected: number[] = [];
      for (let i = 0; i < 12; i++) {
        await store.append(`account-${i}`, [event('AccountOpened')], { expectedRevision: 'any' });
        const mixed = await store.append(
          `directory-${i}`,
          [event('Noise'), event('UsernameClaimed', { i })],
          {
            expectedRevision: 'any',
          },
        );
        expected.push(mixed.position);
      }
      const one = (await open(ns)).consume();
      const two = (await open(ns)).consume();
      const ack = (w: WorkItem) => w.ack();
      const [a, b] = await Promise.all([takeFor(one, 12, 3_000, ack), takeFor(two, 12, 3_000, ack)]);
      const all = [...a, ...b];
      expect(all.map((w) => w.position).sort((x, y) => x - y)).toEqual(expected);
      for (const w of all) {
        expect(w.attempt).toBe(1);
        expect(w.events.map((e) => e.type)).toEqual(['UsernameClaimed']);
      }
      // Nothing comes twice, even after the ack wait.
      expect(await takeFor(one, 1, ackWaitMs + 500)).toEqual([]);
    });

    it('hands out at most maxInFlight items at a time over all its workers, and one more for each ack', async () => {
      const { ns, store } = await fresh();
      const appended: number[] = [];
      for (let i = 0; i < 5; i++)
        appended.push(
          (await store.append(`folder-f${i}`, [event('FolderCreated')], { expectedRevision: 'any' }))
            .position,
        );
      // A long ack wait: nothing taken comes back by itself during the test.
      const options = { maxInFlight: 2, ackWaitMs: 60_000 };
      const readers = [(await open(ns, options)).consume(), (await open(ns, options)).consume()].map(
        readerOf,
      );
      // Everything both workers are handed until neither gets anything for `ms`.
      const takeAll = async (ms: number): Promise<WorkItem[]> => {
        const got: WorkItem[] = [];
        await Promise.all(
          readers.map(async (read) => {
            for (let item = await read(ms); item; item = await read(ms)) got.push(item);
          }),
        );
        return got;
      };
      const held = await takeAll(1_000);
      expect(held).toHaveLength(2);
      await held[0]!.ack();
      const next = await takeAll(1_000);
      expect(next).toHaveLength(1);
      await held[1]!.ack();
      await next[0]!.ack();
      const rest = await takeAll(1_000);
      expect(rest).toHaveLength(2);
      for (const item of rest) await item.ack();
      const all = [...held, ...next, ...rest];
      expect(all.map((w) => w.position).sort((x, y) => x - y)).toEqual(appended);
      expect(all.map((w) => w.attempt)).toEqual([1, 1, 1, 1, 1]);
    });

    it('with categories, hands out the matching appends of those categories only, from every one of them', async () => {
      const { ns, store } = await fresh();
      const expected: number[] = [];
      for (let i = 0; i < 4; i++) {
        // Same event type in a category not asked for: never handed out.
        await store.append(`elsewhere-${i}`, [event('FolderCreated')], { expectedRevision: 'any' });
        expected.push(
          (await store.append(`folder-${i}`, [event('FolderCreated')], { expectedRevision: 'any' })).position,
        );
        expected.push(
          (await store.append(`username-n${i}`, [event('UsernameClaimed')], { expectedRevision: 'any' }))
            .position,
        );
      }
      const consumer = (await open(ns, { categories: ['folder', 'username'] })).consume();
      const got = await takeFor(consumer, 8, 3_000, (w) => w.ack());
      expect(got.map((w) => w.position).sort((x, y) => x - y)).toEqual(expected);
      expect(await takeFor(consumer, 1, 300)).toEqual([]);
      // Appended after the start too, in either category.
      const late = await store.append('username-late', [event('UsernameClaimed')], {
        expectedRevision: 'any',
      });
      await store.append('elsewhere-late', [event('UsernameClaimed')], { expectedRevision: 'any' });
      const [next] = await takeFor(consumer, 1, 3_000, (w) => w.ack());
      expect(next?.position).toBe(late.position);
      expect(await takeFor(consumer, 1, 300)).toEqual([]);
    });

    it('retryLater hands the item out again after the delay, without holding up the next one', async () => {
      const { ns, store } = await fresh();
      const consumer = (await open(ns)).consume();
      const first = await store.append('folder-a', [event('FolderCreated')], { expectedRevision: 'any' });
      const [item] = await takeFor(consumer, 1, 3_000);
      expect(item?.position).toBe(first.position);
      const retriedAt = Date.now();
      await item!.retryLater(600);
      const second = await store.append('folder-b', [event('FolderCreated')], { expectedRevision: 'any' });
      const [next] = await takeFor(consumer, 1, 3_000);
      expect(next?.position).toBe(second.position);
      await next!.ack();
      const [again] = await takeFor(consumer, 1, 3_000);
      expect(Date.now() - retriedAt).toBeGreaterThanOrEqual(500);
      expect(again?.position).toBe(first.position);
      expect(again?.attempt).toBe(2);
      await again!.ack();
      await expect(again!.ack()).rejects.toBeInstanceOf(AlreadySettled);
    });

    it('a parked item is listed with its reason, is not handed out again, and stays listed after a restart', async () => {
      const { ns, store } = await fresh();
      const queue = await open(ns);
      const consumer = queue.consume();
      const appended = await store.append('directory-x', [event('UsernameClaimed', { name: 'ana' })], {
        expectedRevision: 'any',
      });
      const [item] = await takeFor(consumer, 1, 3_000);
      await item!.park('username taken by another account');
      expect(await takeFor(consumer, 1, ackWaitMs + 500)).toEqual([]);
      await queue.close();
      const parked = await (await open(ns)).listParked();
      expect(parked).toHaveLength(1);
      expect(parked[0]).toMatchObject({
        position: appended.position,
        reason: 'username taken by another account',
        attempts: 1,
      });
      expect(parked[0]!.events.map((e) => e.data)).toEqual([{ name: 'ana' }]);
      expect(Number.isNaN(Date.parse(parked[0]!.parkedAt))).toBe(false);
    });

    it('an item that keeps failing is parked once its attempts are used up', async () => {
      const { ns, store } = await fresh();
      const queue = await open(ns, { maxAttempts: 2 });
      const consumer = queue.consume();
      await store.append('folder-z', [event('FolderCreated')], { expectedRevision: 'any' });
      const [first] = await takeFor(consumer, 1, 3_000);
      await first!.retryLater(0);
      const [second] = await takeFor(consumer, 1, 3_000);
      expect(second?.attempt).toBe(2);
      await second!.retryLater(0);
      expect(await takeFor(consumer, 1, 800)).toEqual([]);
      const parked = await queue.listParked();
      expect(parked.map((p) => [p.position, p.attempts])).toEqual([[first!.position, 2]]);
      expect(parked[0]!.reason).toMatch(/2 attempts/);
    });

    it('an item nobody settles through all its deliveries is parked by the queue, which says so to onParked', async () => {
      const { ns, store } = await fresh();
      const told: ParkedWork[] = [];
      const queue = await open(ns, { maxAttempts: 2, onParked: (parked) => told.push(parked) });
      const consumer = queue.consume();
      const appended = await store.append('folder-n', [event('FolderCreated')], {
        expectedRevision: 'any',
      });
      // Taken twice and never settled: a worker that dies each time.
      const taken = await takeFor(consumer, 2, ackWaitMs * 5);
      expect(taken.map((item) => item.attempt)).toEqual([1, 2]);
      expect(await takeFor(consumer, 1, ackWaitMs * 2)).toEqual([]);
      // Delivered twice, so parked with 2 attempts, in what onParked is told and in the listing.
      expect(told.map((p) => [p.position, p.reason, p.attempts])).toEqual([
        [appended.position, 'not settled after 2 deliveries', 2],
      ]);
      expect((await queue.listParked()).map((p) => [p.position, p.attempts])).toEqual([
        [appended.position, 2],
      ]);
      // What onParked was handed is the caller's: changing it leaves the queue's record alone.
      (told[0] as { reason: string }).reason = 'changed by the caller';
      expect((await queue.listParked()).map((p) => p.reason)).toEqual(['not settled after 2 deliveries']);
    });

    it('an item its worker took and never settled goes to another worker after the ack wait', async () => {
      const { ns, store } = await fresh();
      const dying = await open(ns);
      const dyingConsumer = dying.consume();
      const appended = await store.append('folder-d', [event('FolderCreated')], { expectedRevision: 'any' });
      const [taken] = await takeFor(dyingConsumer, 1, 3_000);
      expect(taken?.position).toBe(appended.position);
      await dying.close();
      const survivor = (await open(ns)).consume();
      const startedAt = Date.now();
      const [again] = await takeFor(survivor, 1, ackWaitMs * 4);
      expect(again?.position).toBe(appended.position);
      expect(again?.attempt).toBe(2);
      expect(Date.now() - startedAt).toBeLessThan(ackWaitMs * 3);
      await again!.ack();
    });

    it('after a restart the queue goes on where it was: settled items do not return, new ones come', async () => {
      const { ns, store } = await fresh();
      const queue = await open(ns);
      const consumer = queue.consume();
      for (const s of ['a', 'b', 'c'])
        await store.append(`folder-${s}`, [event('FolderCreated')], { expectedRevision: 'any' });
      const before = await takeFor(consumer, 3, 3_000, (w) => w.ack());
      expect(before).toHaveLength(3);
      await queue.close();
      const later = [
        await store.append('folder-d', [event('FolderCreated')], { expectedRevision: 'any' }),
        await store.append('folder-e', [event('FolderCreated')], { expectedRevision: 'any' }),
      ];
      const restarted = (await open(ns)).consume();
      const after = await takeFor(restarted, 3, ackWaitMs + 1_000, (w) => w.ack());
      expect(after.map((w) => [w.position, w.attempt])).toEqual(later.map((r) => [r.position, 1]));
    });

    it('on its first start a queue hands out the matching appends already in the log', async () => {
      const { ns, store } = await fresh();
      const old = await store.append('folder-old', [event('FolderCreated')], { expectedRevision: 'any' });
      const consumer = (await open(ns)).consume();
      const [item] = await takeFor(consumer, 1, 3_000);
      expect(item?.position).toBe(old.position);
      await item!.ack();
    });
  });
}
