import { accountAggregate, fold, type Reply } from '@camledger/domain';
import { createRuntimeDeps, execute, type RuntimeDeps, routeOf } from '@camledger/runtime';
import { describe, expect, it } from 'vitest';
import { jetStreamShared, memoryShared, type SharedStore, sharedStoreOf } from './stores.ts';

// Exactly-once without a window: a worker appends a command's events and dies
// before it stores the reply. However many appends follow on that stream, and
// after the store's own duplicate window has passed, the client's retry (to
// any worker) gets the first reply and nothing is appended again.

const day = 24 * 60 * 60 * 1000;

/** Stands for the process being killed at that point. */
class Killed extends Error {}

function scenario(open: () => Promise<SharedStore>, windowMs: number) {
  const shared = sharedStoreOf(open);
  let now = Date.parse('2026-03-01T00:00:00Z');
  const clock = () => new Date(now);

  const worker = (faults?: RuntimeDeps['faults']) =>
    createRuntimeDeps({ store: shared.store, replies: shared.replies, clock, ...(faults ? { faults } : {}) });
  const send = (deps: RuntimeDeps, name: string, commandId: string, payload: Record<string, unknown>) =>
    execute(deps, routeOf('internal', name)!, { command_id: commandId, actor: 'system', payload });

  async function lostReply(
    userCredits: number,
  ): Promise<{ userId: string; first: Reply; commandId: string }> {
    const healthy = worker();
    const user = await send(healthy, 'account.register', crypto.randomUUID(), {
      username: `kim${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`,
    });
    const userId = user.ok ? (user.result.user_id as string) : '';
    // The worker appends the credits, then is killed before its reply is stored.
    let first: Reply | undefined;
    const dying = worker({
      beforeRememberReply: (_key, reply) => {
        first = reply;
        throw new Killed();
      },
    });
    const commandId = crypto.randomUUID();
    await expect(
      send(dying, 'account.add_credits', commandId, { user_id: userId, credits: userCredits }),
    ).rejects.toThrow(Killed);
    expect(first).toMatchObject({ ok: true, code: 10000, stream: `account-${userId}` });
    return { userId, first: first as Reply, commandId };
  }

  const balance = async (userId: string) => {
    const events = await shared.store.readStream(`account-${userId}`);
    return { events: events.length, state: fold(accountAggregate, events as never) };
  };

  it('a retry after many more appends and after the duplicate window gets the first reply, and credits once', async () => {
    const { userId, first, commandId } = await lostReply(5);
    const other = worker();
    // More appends to the same stream than the old per-stream memory held (16).
    for (let i = 0; i < 20; i++)
      await send(other, 'account.add_credits', crypto.randomUUID(), { user_id: userId, credits: 1 });
    await new Promise((resolve) => setTimeout(resolve, windowMs * 3));
    const before = await balance(userId);

    // The retry, to a worker with a warm cache and to one that has never seen the stream.
    for (const deps of [other, worker()]) {
      const again = await send(deps, 'account.add_credits', commandId, { user_id: userId, credits: 5 });
      expect(again).toEqual(first);
    }
    const after = await balance(userId);
    expect(after.events).toBe(before.events);
    expect(after.state).toMatchObject({ credits: 25 });
  });

  it('is recognised up to the last moment of the 7 days, by a worker started since', async () => {
    const { userId, first, commandId } = await lostReply(3);
    await send(worker(), 'account.add_credits', crypto.randomUUID(), { user_id: userId, credits: 1 });
    now += 7 * day - 60_000;
    await new Promise((resolve) => setTimeout(resolve, windowMs * 3));
    const again = await send(worker(), 'account.add_credits', commandId, { user_id: userId, credits: 3 });
    expect(again).toEqual(first);
    expect((await balance(userId)).state).toMatchObject({ credits: 4 });
  });
}

describe('a lost reply on the memory store', () => scenario(memoryShared, 0));
describe('a lost reply on JetStream, retried after its duplicate window', () =>
  scenario(() => jetStreamShared({ duplicateWindowMs: 100 }), 100));
