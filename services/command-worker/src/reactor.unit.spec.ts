import { randomUUID } from 'node:crypto';
import { accountAggregate, isRegistered } from '@camledger/domain';
import {
  type EventStore,
  memoryCheckpoints,
  memoryEventStore,
  memoryReplyLog,
  type Subscription,
} from '@camledger/event-store';
import { createRuntimeDeps, StateCache } from '@camledger/runtime';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { WorkerDeps } from './deps.ts';
import { startFollowUpReactor } from './reactor.ts';

// The reactor over the memory store: an orphaned username claim (its worker
// died before account.open ran) must end with the account opened.

const depsOver = (store: EventStore): WorkerDeps => {
  const log = pino({ level: 'silent' });
  const clock = () => new Date('2026-02-01T00:00:00Z');
  return { ...createRuntimeDeps({ store, replies: memoryReplyLog(), log, clock }), prefix: 'camledger', log };
};

let users = 0;
async function orphanClaim(store: EventStore): Promise<string> {
  const userId = `usr_${String(++users).padStart(26, '0')}`;
  await store.append(
    `username-orphan${users}`,
    [
      {
        id: randomUUID(),
        type: 'UsernameClaimed',
        data: { userId, username: `orphan${users}`, displayName: '' },
        metadata: {
          commandId: `lost-${users}`,
          correlationId: `lost-${users}`,
          actor: 'system',
          occurredAt: '',
          schemaVersion: 1,
        },
      },
    ],
    { expectedRevision: 'no_stream' },
  );
  return userId;
}

async function eventually(check: () => Promise<boolean>, tries = 50): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

const opened = (store: EventStore, userId: string) => async () =>
  isRegistered((await new StateCache(store).read(accountAggregate, userId)).state);

describe('the follow-up reactor', () => {
  it('runs the follow-ups of events appended after its checkpoint', async () => {
    const store = memoryEventStore();
    const checkpoints = memoryCheckpoints();
    const first = await startFollowUpReactor(depsOver(store), checkpoints);
    await orphanClaim(store); // seen live, so a checkpoint gets saved
    await eventually(async () => (await checkpoints.load('follow-ups')) !== undefined);
    await first.stop();

    const userId = await orphanClaim(store); // appended while no reactor ran
    const next = await startFollowUpReactor(depsOver(store), checkpoints);
    expect(await eventually(opened(store, userId))).toBe(true);
    await next.stop();
  });

  it('on its first start covers what comes next, not all history', async () => {
    const store = memoryEventStore();
    const before = await orphanClaim(store);
    const reactor = await startFollowUpReactor(depsOver(store), memoryCheckpoints());
    const after = await orphanClaim(store);
    expect(await eventually(opened(store, after))).toBe(true);
    expect(await opened(store, before)()).toBe(false);
    await reactor.stop();
  });

  it('resubscribes from where it got to when its subscription fails', async () => {
    const store = memoryEventStore();
    let subscriptions = 0;
    // The first subscription delivers one event, then its connection is lost.
    const flaky: EventStore = Object.assign(Object.create(store) as EventStore, {
      subscribeAll: (options?: Parameters<EventStore['subscribeAll']>[0]): Subscription => {
        const inner = store.subscribeAll(options);
        if (++subscriptions > 1) return inner;
        const events = inner[Symbol.asyncIterator]();
        let delivered = 0;
        return {
          close: () => inner.close(),
          [Symbol.asyncIterator]: () => ({
            next: () => (delivered++ === 0 ? events.next() : Promise.reject(new Error('connection lost'))),
          }),
        };
      },
    });
    const reactor = await startFollowUpReactor(depsOver(flaky), memoryCheckpoints());
    const first = await orphanClaim(store);
    expect(await eventually(opened(store, first))).toBe(true);
    const second = await orphanClaim(store); // appended while the reactor is cut off
    expect(await eventually(opened(store, second), 100)).toBe(true);
    expect(subscriptions).toBe(2);
    await reactor.stop();
  });
});
