import { randomUUID } from 'node:crypto';
import { accountAggregate, followUpEventTypes, isRegistered } from '@camledger/domain';
import {
  type EventStore,
  memoryEventStore,
  memoryReplyLog,
  memoryWorkQueue,
  type Position,
  type WorkQueue,
} from '@camledger/event-store';
import { createRuntimeDeps, type Faults, StateCache } from '@camledger/runtime';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { backoff } from './backoff.ts';
import type { WorkerDeps } from './deps.ts';
import { startFollowUpQueue } from './follow-up-queue.ts';

// The worker's share of the durable follow-up queue, over the memory store:
// the memory queue keeps its state with the store object, so a queue closed
// and opened again on one store is a worker restarted, and two queues of
// one name on one store are two workers sharing the work.

interface Logged {
  readonly level: 'error' | 'warn';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

function workerOver(store: EventStore, faults?: Faults) {
  const logged: Logged[] = [];
  const base = pino({ level: 'silent' });
  const log = Object.assign(Object.create(base) as typeof base, {
    error: (fields: Record<string, unknown>, message: string) =>
      logged.push({ level: 'error', message, fields }),
    warn: (fields: Record<string, unknown>, message: string) =>
      logged.push({ level: 'warn', message, fields }),
  });
  const deps: WorkerDeps = {
    ...createRuntimeDeps({
      store,
      replies: memoryReplyLog(),
      log,
      clock: () => new Date('2026-02-01T00:00:00Z'),
      ...(faults ? { faults } : {}),
    }),
    prefix: 'camledger',
    log,
  };
  return { deps, logged };
}

const queueOn = (store: EventStore, maxAttempts = 10): WorkQueue =>
  memoryWorkQueue(store, { types: followUpEventTypes, ackWaitMs: 5_000, maxAttempts });

const meta = (commandId: string) => ({
  commandId,
  correlationId: commandId,
  actor: 'system',
  occurredAt: '2026-02-01T00:00:00.000Z',
  schemaVersion: 1,
});

let users = 0;
/** A username claim whose worker died before account.open: only the queue can finish it. */
async function orphanClaim(store: EventStore): Promise<{ userId: string; position: Position }> {
  const n = ++users;
  const userId = `usr_${String(n).padStart(26, '0')}`;
  const { position } = await store.append(
    `username-orphan${n}`,
    [
      {
        id: randomUUID(),
        type: 'UsernameClaimed',
        data: { userId, username: `orphan${n}`, displayName: '' },
        metadata: meta(`lost-${n}`),
      },
    ],
    { expectedRevision: 'no_stream' },
  );
  return { userId, position };
}

const isOpen = async (store: EventStore, userId: string) =>
  isRegistered((await new StateCache(store).read(accountAggregate, userId)).state);

async function eventually(check: () => Promise<boolean>, ms = 3_000): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; ) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
}

/** The store refuses the first `times` writes to streams starting with `prefix`. */
function refusing(prefix: string, times: number): Faults & { readonly refused: () => number } {
  let refused = 0;
  return {
    beforeAppend: (stream) => {
      if (stream.startsWith(prefix) && refused < times) {
        refused++;
        throw new Error('store unavailable');
      }
    },
    refused: () => refused,
  };
}

describe('the durable follow-up queue', () => {
  it('applies a follow-up whose store write failed a few times, after a worker restart, with backoff', async () => {
    const store = memoryEventStore();
    const faults = refusing('account-', 3);
    const first = workerOver(store, faults);
    const firstQueue = queueOn(store);
    const running = startFollowUpQueue(first.deps, firstQueue, { backoff: () => 30 });
    const { userId } = await orphanClaim(store);
    expect(await eventually(async () => faults.refused() >= 1)).toBe(true);
    // The worker stops (a restart) while the item still fails.
    await running.stop();
    await firstQueue.close();
    expect(await isOpen(store, userId)).toBe(false);

    const next = workerOver(store, faults);
    const nextQueue = queueOn(store);
    const restarted = startFollowUpQueue(next.deps, nextQueue, { backoff: () => 30 });
    expect(await eventually(() => isOpen(store, userId))).toBe(true);
    expect(faults.refused()).toBe(3);
    await restarted.stop();
    await nextQueue.close();
    expect(await nextQueue.listParked()).toEqual([]);
    const retries = [...first.logged, ...next.logged].filter(
      (l) => l.message === 'follow-up failed, will retry',
    );
    expect(retries.length).toBe(3);
    expect(retries.every((l) => l.level === 'warn' && l.fields.retryInMs === 30)).toBe(true);
  });

  it('parks a follow-up that keeps failing once its attempts are used up, and says so at error', async () => {
    const store = memoryEventStore();
    const worker = workerOver(store, refusing('account-', Number.POSITIVE_INFINITY));
    const queue = queueOn(store, 3);
    const running = startFollowUpQueue(worker.deps, queue, { backoff: () => 5, maxAttempts: 3 });
    const { userId, position } = await orphanClaim(store);
    expect(await eventually(async () => (await queue.listParked()).length === 1)).toBe(true);
    await running.stop();
    await queue.close();
    expect((await queue.listParked()).map((p) => [p.position, p.attempts])).toEqual([[position, 3]]);
    expect(worker.logged.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      'follow-up parked: still failing after its last attempt',
    ]);
    expect(await isOpen(store, userId)).toBe(false);
  });

  it('parks a follow-up the domain rejects at once, with the reason, logged at error', async () => {
    const store = memoryEventStore();
    const invitationId = 'inv_01JD3XQ4S5M7N8P9R0T1V2W3X4';
    const networkId = 'net_01JD3XQ4S5M7N8P9R0T1V2W3X4';
    const alice = 'usr_0000000000000000000000000A';
    const bob = 'usr_0000000000000000000000000B';
    // The id is claimed for Bob before Alice's network invites someone under it: its directory.claim is refused.
    await store.append(
      `directory-${invitationId}`,
      [
        {
          id: randomUUID(),
          type: 'IdClaimed',
          data: { id: invitationId, kind: 'invitation', owner: bob, container: networkId },
          metadata: meta('bob-1'),
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    const { position } = await store.append(
      `network-${networkId}`,
      [
        {
          id: randomUUID(),
          type: 'NetworkInvitationSent',
          data: { networkId, invitationId, userId: alice },
          metadata: { ...meta('alice-1'), actor: alice },
        },
      ],
      { expectedRevision: 'any' },
    );
    const worker = workerOver(store);
    const queue = queueOn(store);
    const running = startFollowUpQueue(worker.deps, queue, { backoff: () => 5 });
    expect(await eventually(async () => (await queue.listParked()).length === 1)).toBe(true);
    await running.stop();
    await queue.close();
    const [parked] = await queue.listParked();
    expect(parked).toMatchObject({ position, attempts: 1 });
    expect(parked?.reason).toMatch(
      /^directory\.claim alice-1>network-\S+@0#0 refused: 128 MissingParameter$/,
    );
    expect(worker.logged.filter((l) => l.level === 'error').map((l) => l.message)).toContain(
      'follow-up parked: the domain refused it',
    );
  });

  it('is shared by two workers: each item is handled by one of them, once', async () => {
    const store = memoryEventStore();
    const handledBy = new Map<Position, string[]>();
    // Notes which worker took which item; the runner sees the queue's items unchanged.
    const noting = (queue: WorkQueue, worker: string): WorkQueue => ({
      ...queue,
      consume: () => {
        const consumer = queue.consume();
        return {
          close: () => consumer.close(),
          async *[Symbol.asyncIterator]() {
            for await (const item of consumer) {
              handledBy.set(item.position, [...(handledBy.get(item.position) ?? []), worker]);
              yield item;
            }
          },
        };
      },
    });
    const queues = [queueOn(store), queueOn(store)];
    const running = queues.map((q, i) => startFollowUpQueue(workerOver(store).deps, noting(q, `w${i}`)));
    const orphans = await Promise.all(Array.from({ length: 30 }, () => orphanClaim(store)));
    expect(await eventually(async () => handledBy.size === orphans.length)).toBe(true);
    for (const { userId } of orphans) expect(await eventually(() => isOpen(store, userId))).toBe(true);
    await Promise.all(running.map((r) => r.stop()));
    await Promise.all(queues.map((q) => q.close()));
    expect([...handledBy.values()].filter((workers) => workers.length !== 1)).toEqual([]);
    expect([...handledBy.keys()].sort()).toEqual(orphans.map((o) => o.position).sort());
  });
});

describe('backoff', () => {
  it('doubles from 250 ms, with jitter between half and all of it, capped at a minute', () => {
    const low = (attempt: number) => backoff(attempt, { random: () => 0 });
    const high = (attempt: number) => backoff(attempt, { random: () => 1 });
    expect([1, 2, 3, 4].map(high)).toEqual([250, 500, 1000, 2000]);
    expect([1, 2, 3, 4].map(low)).toEqual([125, 250, 500, 1000]);
    expect(high(30)).toBe(60_000);
    expect(low(30)).toBe(30_000);
    for (let i = 0; i < 100; i++) {
      const d = backoff(5);
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });
});
