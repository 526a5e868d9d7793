import {
  type EventStore,
  memoryEventStore,
  memoryReplyLog,
  WrongExpectedRevision,
} from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { createRuntimeDeps, type RuntimeDeps } from '../deps.ts';
import { execute } from '../execute.ts';
import { routeOf } from '../route.ts';

// Two workers whose caches answer from memory (as the worker's do) take
// turns on one account: each finds the other's appends only when its own is
// refused. What that may cost: one refused append, then reads of what is new.

function counting(store: EventStore) {
  const seen = { refused: 0, readsFromStart: 0 };
  const spy = Object.assign(Object.create(store) as EventStore, {
    append: async (...args: Parameters<EventStore['append']>) => {
      try {
        return await store.append(...args);
      } catch (error) {
        if (error instanceof WrongExpectedRevision) seen.refused++;
        throw error;
      }
    },
    readStream: (stream: string, options?: { fromRevision?: number }) => {
      if ((options?.fromRevision ?? 0) === 0 && stream.startsWith('account-')) seen.readsFromStart++;
      return store.readStream(stream, options);
    },
  });
  return { spy, seen };
}

describe('two trusting workers writing one account in turn', () => {
  it('refuse an append only until the stream is known to be shared, and never re-read it from the start', async () => {
    const { spy, seen } = counting(memoryEventStore());
    const replies = memoryReplyLog();
    const workers = [0, 1].map(() =>
      createRuntimeDeps({ store: spy, replies, cache: { revalidate: 'on-demand' } }),
    );
    const send = (deps: RuntimeDeps, name: string, payload: Record<string, unknown>) =>
      execute(deps, routeOf('internal', name)!, {
        command_id: crypto.randomUUID(),
        actor: 'system',
        payload,
      });
    const user = await send(workers[0]!, 'account.register', { username: 'ines' });
    const userId = user.ok ? (user.result.user_id as string) : '';
    for (let i = 0; i < 20; i++) {
      const reply = await send(workers[i % 2]!, 'account.add_credits', { user_id: userId, credits: 1 });
      expect(reply).toMatchObject({ ok: true });
    }
    // The first refusal marks the account as shared; from then on it is read before deciding.
    expect(seen.refused).toBeLessThanOrEqual(2);
    // Each worker read the account from its first revision once, when it first met it.
    expect(seen.readsFromStart).toBeLessThanOrEqual(2);
  });
});

describe('a worker whose memory is ahead of the store', () => {
  it('reads the stream afresh once its append is refused, instead of failing every command on it', async () => {
    // The store acknowledged two top-ups and then lost them (an embedded
    // server without fsync on a power cut): what survives is the history
    // before them. The worker's memory still holds them.
    const before = memoryEventStore();
    let current: EventStore = before;
    const store = new Proxy({} as EventStore, {
      get: (_target, name) => {
        const value = current[name as keyof EventStore];
        return typeof value === 'function' ? value.bind(current) : value;
      },
    });
    const deps = createRuntimeDeps({ store, replies: memoryReplyLog(), cache: { revalidate: 'on-demand' } });
    const send = (name: string, payload: Record<string, unknown>) =>
      execute(deps, routeOf('internal', name)!, {
        command_id: crypto.randomUUID(),
        actor: 'system',
        payload,
      });
    const user = await send('account.register', { username: 'poweroff' });
    const userId = user.ok ? String(user.result.user_id) : '';
    const survived = memoryEventStore();
    for (const stream of ['username-poweroff', `account-${userId}`]) {
      const kept = await before.readStream(stream);
      await survived.append(
        stream,
        kept.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })),
        { expectedRevision: 'no_stream' },
      );
    }
    for (let i = 0; i < 2; i++)
      expect(await send('account.add_credits', { user_id: userId, credits: 1 })).toMatchObject({ ok: true });
    current = survived;

    expect(await send('account.add_credits', { user_id: userId, credits: 1 })).toMatchObject({ ok: true });
    const topUps = (await survived.readStream(`account-${userId}`)).filter((e) => e.type === 'CreditsAdded');
    expect(topUps).toHaveLength(1);
  });
});

describe('a worker that follows the log and has not yet seen the append that refused its own', () => {
  it('decides again on what came after it, not on memory: one refusal, then accepted', async () => {
    const { spy, seen } = counting(memoryEventStore());
    const replies = memoryReplyLog();
    const [behind, other] = [0, 1].map(() =>
      createRuntimeDeps({ store: spy, replies, cache: { revalidate: 'on-demand' } }),
    ) as [RuntimeDeps, RuntimeDeps];
    // Following the log: a hot stream is not read before deciding, the follower is trusted to
    // bring what others append. This one has not brought the other worker's append yet.
    behind.hotStreams.readBeforeDeciding = false;
    const send = (deps: RuntimeDeps, name: string, payload: Record<string, unknown>) =>
      execute(deps, routeOf('internal', name)!, {
        command_id: crypto.randomUUID(),
        actor: 'system',
        payload,
      });
    const user = await send(behind, 'account.register', { username: 'lagging' });
    expect(user).toMatchObject({ ok: true });
    const userId = user.ok ? String(user.result.user_id) : '';
    expect(await send(other, 'account.add_credits', { user_id: userId, credits: 2 })).toMatchObject({
      ok: true,
    });
    expect(await send(behind, 'account.add_credits', { user_id: userId, credits: 3 })).toMatchObject({
      ok: true,
    });
    expect(seen.refused).toBe(1);
    const topUps = (await spy.readStream(`account-${userId}`)).filter((e) => e.type === 'CreditsAdded');
    expect(topUps.map((e) => (e.data as { credits: number }).credits)).toEqual([2, 3]);
  });
});
