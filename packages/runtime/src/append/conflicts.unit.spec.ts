import {
  type EventStore,
  memoryEventStore,
  memoryReplyLog,
  WrongExpectedRevision,
} from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { createRuntimeDeps, type Faults, type RuntimeDeps } from '../deps.ts';
import { execute } from '../execute.ts';
import { routeOf } from '../route.ts';

// Version conflicts on one account stream: a burst of credits all land, in
// distinct revisions; a stream that saw a conflict is written in turns; a
// stream that never stops conflicting is given up on.

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function worker(store: EventStore, faults?: Faults): RuntimeDeps {
  return createRuntimeDeps({ store, replies: memoryReplyLog(), ...(faults ? { faults } : {}) });
}

const send = (deps: RuntimeDeps, name: string, commandId: string, payload: Record<string, unknown>) =>
  execute(deps, routeOf('internal', name)!, { command_id: commandId, actor: 'system', payload });

async function registered(deps: RuntimeDeps, username: string): Promise<string> {
  const reply = await send(deps, 'account.register', `register-${username}`, { username });
  if (!reply.ok) throw new Error(`could not register ${username}`);
  return reply.result.user_id as string;
}

/** Appends to the account stream take a while (as over a network): a burst overlaps. */
function slowAccountAppends() {
  const attempts = { account: 0 };
  const faults: Faults = {
    beforeAppend: async (stream) => {
      if (!stream.startsWith('account-')) return;
      attempts.account++;
      await pause(5);
    },
  };
  return { faults, attempts };
}

const burst = (deps: RuntimeDeps, userId: string, tag: string, n: number) =>
  Promise.all(
    Array.from({ length: n }, (_, i) =>
      send(deps, 'account.add_credits', `${tag}-${i}`, { user_id: userId, credits: 1 }),
    ),
  );

describe('a burst of commands on one stream', () => {
  it('all land in distinct revisions; after the first collision they take turns instead of colliding again', async () => {
    const store = memoryEventStore();
    const { faults, attempts } = slowAccountAppends();
    const deps = worker(store, faults);
    const userId = await registered(deps, 'tara');
    const before = (await store.readStream(`account-${userId}`)).length;
    attempts.account = 0;

    const replies = await burst(deps, userId, 'b1', 5);

    expect(replies.every((r) => r.ok)).toBe(true);
    const revisions = replies.map((r) => (r.ok ? r.revision : -1));
    expect(new Set(revisions).size).toBe(5);
    expect(await store.readStream(`account-${userId}`)).toHaveLength(before + 5);
    // One round where one wins and four are refused, then the four one after another.
    expect(attempts.account).toBe(5 + 4);
  });

  it('on a stream that collided lately wait their turn from the start: none is refused', async () => {
    const store = memoryEventStore();
    const { faults, attempts } = slowAccountAppends();
    const deps = worker(store, faults);
    const userId = await registered(deps, 'uma');
    await burst(deps, userId, 'b1', 2);
    attempts.account = 0;

    const replies = await burst(deps, userId, 'b2', 5);

    expect(replies.every((r) => r.ok)).toBe(true);
    expect(attempts.account).toBe(5);
  });
});

describe('a stream that is refused every time', () => {
  // Well under the suite's timeout: a run that never gives up fails fast.
  it('is given up on after 25 attempts, naming the stream', { timeout: 5_000 }, async () => {
    const store = memoryEventStore();
    const deps = worker(store);
    const userId = await registered(deps, 'vera');
    let attempts = 0;
    // Another writer always gets there first.
    const losing = worker(store, {
      beforeAppend: (stream) => {
        attempts++;
        throw new WrongExpectedRevision(stream, 0, 1);
      },
    });
    await expect(send(losing, 'account.add_credits', 'c-1', { user_id: userId, credits: 1 })).rejects.toThrow(
      `gave up on account-${userId} after 25 conflicts`,
    );
    expect(attempts).toBe(25);
  });
});
