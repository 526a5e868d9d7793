import { connectJetStreamStore, deleteJetStreamNamespace, jetStreamReplyLog } from '@camledger/event-store';
import { commandKey, createRuntimeDeps, execute, replyRetentionMs, routeOf } from '@camledger/runtime';
import { connect } from 'nats';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from '../support/nats-server.ts';
import { uniquePrefix } from '../support/test-worker.ts';
import { jetStreamShared, memoryShared, type SharedStore, sharedStoreOf } from './stores.ts';

// A command id used again by the same actor for another command is 128 for
// the 7 days ids are remembered, also when the second command would write
// another stream, also when the domain would refuse it, and the first
// command's retry keeps its first reply. With the store remembering keys
// (JetStream with its default 7-day duplicate window, memory), an accepted
// append leaves no record in the reply log: the append's key is the record.

function scenario(open: () => Promise<SharedStore>) {
  const shared = sharedStoreOf(open);

  // A fresh runtime each time: a worker that has never seen the streams.
  const worker = () => createRuntimeDeps({ store: shared.store, replies: shared.replies });
  const send = (name: string, commandId: string, payload: Record<string, unknown>) =>
    execute(worker(), routeOf('internal', name)!, { command_id: commandId, actor: 'system', payload });
  const registered = async () => {
    const user = await send('account.register', crypto.randomUUID(), {
      username: `ru${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`,
    });
    return user.ok ? (user.result.user_id as string) : '';
  };

  it('an accepted append is remembered by its key alone: nothing in the reply log', async () => {
    const userId = await registered();
    const commandId = crypto.randomUUID();
    expect(await send('account.add_credits', commandId, { user_id: userId, credits: 2 })).toMatchObject({
      ok: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await shared.replies.get(commandKey('system', commandId))).toBeUndefined();
  });

  it('is 128 for a command that would write another stream, which stays unwritten', async () => {
    const [first, second] = [await registered(), await registered()];
    const commandId = crypto.randomUUID();
    const topUp = await send('account.add_credits', commandId, { user_id: first, credits: 4 });
    expect(topUp).toMatchObject({ ok: true });
    expect(await send('account.add_credits', commandId, { user_id: second, credits: 4 })).toMatchObject({
      ok: false,
      code: 128,
      details: { param: 'command_id', command_id: commandId },
    });
    expect((await shared.store.readStream(`account-${second}`)).map((e) => e.type)).toEqual([
      'AccountRegistered',
    ]);
    expect(await send('account.add_credits', commandId, { user_id: first, credits: 4 })).toEqual(topUp);
  });

  it('is 128 for a command the domain would refuse, and leaves the first reply to its retry', async () => {
    const userId = await registered();
    const commandId = crypto.randomUUID();
    const topUp = await send('account.add_credits', commandId, { user_id: userId, credits: 6 });
    const nobody = 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4';
    for (let i = 0; i < 2; i++)
      expect(await send('account.add_credits', commandId, { user_id: nobody, credits: 6 })).toMatchObject({
        ok: false,
        code: 128,
      });
    expect(await shared.replies.get(commandKey('system', commandId))).toBeUndefined();
    expect(await send('account.add_credits', commandId, { user_id: userId, credits: 6 })).toEqual(topUp);
  });

  it('is 128 for a reuse racing its first use on another worker when neither appends, and each retry answers as first', async () => {
    const userId = await registered();
    for (let round = 0; round < 5; round++) {
      const commandId = crypto.randomUUID();
      const [one, two] = [worker(), worker()];
      // Nothing appended by either: a top-up of an unknown user (8), and one over the limit (152).
      const unknown = () =>
        execute(one, routeOf('internal', 'account.add_credits')!, {
          command_id: commandId,
          actor: 'system',
          payload: { user_id: 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4', credits: 5 },
        });
      const tooMany = () =>
        execute(two, routeOf('internal', 'account.add_credits')!, {
          command_id: commandId,
          actor: 'system',
          payload: { user_id: userId, credits: 10_000_000 },
        });
      const [first, second] = await Promise.all([unknown(), tooMany()]);
      // One of them was first to be recorded and keeps its own rejection; the other is a reuse.
      const answers = [first.code, second.code].sort((a, b) => a - b);
      expect([
        [8, 128],
        [128, 152],
      ]).toContainEqual(answers);
      expect(await unknown()).toEqual(first);
      expect(await tooMany()).toEqual(second);
    }
  });
}

describe('a reused command id on the memory store', () => scenario(memoryShared));
describe('a reused command id on JetStream (7-day duplicate window)', () =>
  scenario(() => jetStreamShared()));

describe('a reused command id after the NATS server restarted', () => {
  it('is still 128: the server rebuilds the keys of its duplicate window from the stored appends', async () => {
    const server = await startNatsServer();
    const prefix = uniquePrefix('rsr');
    const open = async () => {
      const nc = await connect({ servers: server.url, noAsyncTraces: true });
      const store = await connectJetStreamStore(nc, { prefix, replicas: 1 });
      const replies = await jetStreamReplyLog(nc, { prefix, replicas: 1, retentionMs: replyRetentionMs });
      const deps = createRuntimeDeps({ store, replies });
      const send = (commandId: string, name: string, payload: Record<string, unknown>) =>
        execute(deps, routeOf('internal', name)!, { command_id: commandId, actor: 'system', payload });
      const close = async () => {
        await replies.close();
        await store.close();
        await nc.close();
      };
      return { send, close, store, nc };
    };
    try {
      const before = await open();
      const ids: string[] = [];
      for (const username of ['rsra', 'rsrb']) {
        const user = await before.send(crypto.randomUUID(), 'account.register', { username });
        ids.push(user.ok ? (user.result.user_id as string) : '');
      }
      const topUp = await before.send('once', 'account.add_credits', { user_id: ids[0], credits: 9 });
      expect(topUp).toMatchObject({ ok: true });
      await before.close();

      await server.stop();
      await server.start();

      const after = await open();
      try {
        expect(
          await after.send('once', 'account.add_credits', { user_id: ids[1], credits: 9 }),
        ).toMatchObject({
          ok: false,
          code: 128,
        });
        expect(await after.send('once', 'account.add_credits', { user_id: ids[0], credits: 9 })).toEqual(
          topUp,
        );
        expect((await after.store.readStream(`account-${ids[1]}`)).map((e) => e.type)).toEqual([
          'AccountRegistered',
        ]);
      } finally {
        await deleteJetStreamNamespace(after.nc, prefix);
        await after.close();
      }
    } finally {
      await server.dispose();
    }
  }, 60_000);
});
