import {
  type Aggregate,
  accountAggregate,
  aggregatesByCategory,
  fold,
  type ItemState,
} from '@camledger/domain';
import type { RecordedEvent } from '@camledger/event-store';
import { createRuntimeDeps, type Faults } from '@camledger/runtime';
import { describe, expect, it } from 'vitest';
import {
  jetStreamShared,
  memoryShared,
  type SharedStore,
  sendThrough as send,
  sharedStoreOf,
} from './stores.ts';

// One command key, two decisions: a reuse of the command id with another
// payload on the same stream, or a retry decided on another state than the
// first attempt. The store holds one append under the key; whoever's append
// is not that one must answer from the stored append (its first reply, or
// 128), never from its own decision, and must not fold its own events into
// its cache as if they were stored.

const itemAggregate = aggregatesByCategory.get('item') as Aggregate<ItemState, never>;

/** A door a test opens: `opened` settles once `open` is called. */
const gate = () => {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

/** The state the stored events make up to `revision`. */
const foldTo = <S>(aggregate: Aggregate<S, never>, history: readonly RecordedEvent[], revision: number): S =>
  fold(aggregate, history.filter((e) => e.revision <= revision) as never);

function scenario(open: () => Promise<SharedStore>) {
  const shared = sharedStoreOf(open);

  const worker = (faults?: Faults) =>
    createRuntimeDeps({
      store: shared.store,
      replies: shared.replies,
      // As the worker runs: memory trusted for the stream a command writes.
      cache: { revalidate: 'on-demand' },
      ...(faults ? { faults } : {}),
    });
  type Worker = ReturnType<typeof worker>;
  const result = async (reply: Promise<Awaited<ReturnType<typeof send>>>) => {
    const answered = await reply;
    if (!answered.ok) throw new Error(JSON.stringify(answered));
    return answered.result;
  };
  /** A new user, registered through `deps`: their id. */
  const registered = async (deps: Worker) =>
    String(
      (
        await result(
          send(deps, 'internal', 'account.register', crypto.randomUUID(), 'system', {
            username: `sk${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`,
          }),
        )
      ).user_id,
    );

  it('a reused command id on the same account, sent to a worker one append behind, is 128', async () => {
    const [first, behind] = [worker(), worker()];
    const userId = await registered(first);
    // This worker has the account in memory before the first top-up.
    await behind.cache.read(accountAggregate, userId);
    const commandId = crypto.randomUUID();
    const topUp = await send(first, 'internal', 'account.add_credits', commandId, 'system', {
      user_id: userId,
      credits: 1,
    });
    expect(topUp).toMatchObject({ ok: true });

    expect(
      await send(behind, 'internal', 'account.add_credits', commandId, 'system', {
        user_id: userId,
        credits: 3,
      }),
    ).toMatchObject({ ok: false, code: 128 });
    const history = await shared.store.readStream(`account-${userId}`);
    expect(fold(accountAggregate, history as never).credits).toBe(1);
    // Memory may be behind the store, never other than it.
    const remembered = await behind.cache.read(accountAggregate, userId);
    expect(remembered.state).toEqual(foldTo(accountAggregate, history, remembered.revision));
    // The first command's retry, on either worker, gets its first reply.
    for (const deps of [first, behind])
      expect(
        await send(deps, 'internal', 'account.add_credits', commandId, 'system', {
          user_id: userId,
          credits: 1,
        }),
      ).toEqual(topUp);
  });

  it('a retry decided on a newer state than its first attempt answers the first reply', async () => {
    // The first attempt decides "restore into Garden" and is held before its
    // append; Garden is deleted; the retry, on another worker, decides
    // "restore to the inbox" and is held too; then both append, first first.
    const holds = [
      { armed: false, reached: gate(), go: gate() },
      { armed: false, reached: gate(), go: gate() },
    ];
    const held = (hold: (typeof holds)[number]): Faults => ({
      beforeAppend: async (stream) => {
        if (!hold.armed || !stream.startsWith('item-')) return;
        hold.armed = false;
        hold.reached.open();
        await hold.go.opened;
      },
    });
    const [setup, firstWorker, retryWorker] = [worker(), worker(held(holds[0]!)), worker(held(holds[1]!))];
    const userId = await registered(setup);
    const cameraId = String(
      (
        await result(
          send(setup, 'internal', 'camera.register', crypto.randomUUID(), 'system', {
            owner_id: userId,
            label: 'porch',
            live_view_capable: 0,
          }),
        )
      ).camera_id,
    );
    const itemId = String(
      (
        await result(
          send(setup, 'internal', 'item.record', crypto.randomUUID(), 'system', {
            camera_id: cameraId,
            start_datetime: '2026-01-01 00:00:00',
            end_datetime: '2026-01-01 00:00:01',
            is_alert: 0,
            frames: [{ identifier: 'F'.repeat(30), datetime: '2026-01-01 00:00:00' }],
          }),
        )
      ).item_id,
    );
    const garden = String(
      (
        await result(
          send(setup, 'cmd', 'folder.create', crypto.randomUUID(), userId, { name: 'Garden', parent_id: 0 }),
        )
      ).folder_id,
    );
    await result(
      send(setup, 'cmd', 'item.move', crypto.randomUUID(), userId, { item_id: itemId, folder_id: garden }),
    );
    await result(send(setup, 'cmd', 'item.delete', crypto.randomUUID(), userId, { item_id: itemId }));

    const restoreId = crypto.randomUUID();
    holds[0]!.armed = true;
    const first = send(firstWorker, 'cmd', 'item.restore', restoreId, userId, { item_id: itemId });
    await holds[0]!.reached.opened;
    await result(send(setup, 'cmd', 'folder.delete', crypto.randomUUID(), userId, { folder_id: garden }));
    holds[1]!.armed = true;
    const retry = send(retryWorker, 'cmd', 'item.restore', restoreId, userId, { item_id: itemId });
    await holds[1]!.reached.opened;
    holds[0]!.go.open();
    const firstReply = await first;
    holds[1]!.go.open();
    const retryReply = await retry;

    expect(firstReply).toMatchObject({ ok: true });
    expect(retryReply).toEqual(firstReply);
    // History: restored into Garden, which is deleted, so the item is gone.
    // The retry's worker must know that, not its own "to the inbox".
    const history = await shared.store.readStream(`item-${itemId}`);
    const remembered = await retryWorker.cache.read(itemAggregate, itemId);
    expect(remembered.state).toEqual(foldTo(itemAggregate, history, remembered.revision));
    const fresh = worker();
    expect(
      (
        await send(retryWorker, 'cmd', 'item.set_flag', crypto.randomUUID(), userId, {
          item_id: itemId,
          flagged: 1,
        })
      ).code,
    ).toBe(
      (
        await send(fresh, 'cmd', 'item.set_flag', crypto.randomUUID(), userId, {
          item_id: itemId,
          flagged: 1,
        })
      ).code,
    );
  });

  it('a rejection recorded just as its twin was accepted gives way to the accepted append', async () => {
    // Two copies of one folder.create in flight: the first is refused (the
    // name is taken) and held before its record is stored; the name is then
    // freed; the copy, on another worker, is accepted and held before its
    // append; the refusal is recorded (no append under the key yet), then
    // the append lands. Whoever asks again must get the append's reply.
    const [recordHeld, appendHeld] = [
      { armed: false, reached: gate(), go: gate() },
      { armed: false, reached: gate(), go: gate() },
    ];
    const setup = worker();
    const refusing = worker({
      beforeRememberReply: async () => {
        if (!recordHeld.armed) return;
        recordHeld.armed = false;
        recordHeld.reached.open();
        await recordHeld.go.opened;
      },
    });
    const accepting = worker({
      beforeAppend: async (stream) => {
        if (!appendHeld.armed || !stream.startsWith('foldertree-')) return;
        appendHeld.armed = false;
        appendHeld.reached.open();
        await appendHeld.go.opened;
      },
    });
    const userId = await registered(setup);
    const garden = String(
      (
        await result(
          send(setup, 'cmd', 'folder.create', crypto.randomUUID(), userId, { name: 'Garden', parent_id: 0 }),
        )
      ).folder_id,
    );
    const commandId = crypto.randomUUID();
    const create = (deps: Worker) =>
      send(deps, 'cmd', 'folder.create', commandId, userId, { name: 'GARDEN', parent_id: 0 });

    recordHeld.armed = true;
    const refused = create(refusing);
    await recordHeld.reached.opened;
    await result(
      send(setup, 'cmd', 'folder.rename', crypto.randomUUID(), userId, { folder_id: garden, name: 'Yard' }),
    );
    appendHeld.armed = true;
    const acceptedTwin = create(accepting);
    await appendHeld.reached.opened;
    recordHeld.go.open();
    expect(await refused).toMatchObject({ ok: false, code: 4005 });
    appendHeld.go.open();
    const accepted = await acceptedTwin;
    expect(accepted).toMatchObject({ ok: true, code: 10000 });

    for (const deps of [setup, refusing, accepting, worker()]) expect(await create(deps)).toEqual(accepted);
  });

  /** A worker that holds its first append to a stream of `category` once armed, until told to go on. */
  const holdingAppend = (category: string) => {
    const hold = { armed: false, reached: gate(), go: gate() };
    const deps = worker({
      beforeAppend: async (stream) => {
        if (!hold.armed || !stream.startsWith(`${category}-`)) return;
        hold.armed = false;
        hold.reached.open();
        await hold.go.opened;
      },
    });
    return { deps, hold };
  };

  it('a reuse of the id that changed nothing, recorded before the append it raced, does not take that append from its retry', async () => {
    const setup = worker();
    const { deps: changing, hold } = holdingAppend('network');
    const owner = await registered(setup);
    const networkId = String(
      (
        await result(
          send(setup, 'cmd', 'network.create', crypto.randomUUID(), owner, {
            name: 'Street watch',
            type: 'public',
            requires_cameras: 0,
            description: '',
          }),
        )
      ).network_id,
    );
    const commandId = crypto.randomUUID();
    const rename = (deps: Worker, name: string) =>
      send(deps, 'cmd', 'network.update', commandId, owner, { network_id: networkId, name });

    hold.armed = true;
    const renaming = rename(changing, 'Road watch');
    await hold.reached.opened;
    // The same id for the current name: accepted, nothing to append, so the reply log keeps it.
    const unchanged = await rename(setup, 'Street watch');
    expect(unchanged).toMatchObject({ ok: true });
    hold.go.open();
    const renamed = await renaming;
    expect(renamed).toMatchObject({ ok: true, position: expect.any(Number) });

    // The append is the id's effect: its retry gets its reply, the other payload 128.
    for (const deps of [setup, changing, worker()]) {
      expect(await rename(deps, 'Road watch')).toEqual(renamed);
      expect(await rename(deps, 'Street watch')).toMatchObject({ ok: false, code: 128 });
    }
  });

  it("a retry answered from the append that beat a recorded rejection names its follow-ups' position too", async () => {
    const setup = worker();
    const { deps: registering, hold } = holdingAppend('username');
    const taken = `tk${Date.now().toString(36)}`;
    await result(
      send(setup, 'internal', 'account.register', crypto.randomUUID(), 'system', { username: taken }),
    );
    const commandId = crypto.randomUUID();
    const register = (deps: Worker, username: string) =>
      send(deps, 'internal', 'account.register', commandId, 'system', { username });
    const fresh = `fr${Date.now().toString(36)}`;

    hold.armed = true;
    const registeringFresh = register(registering, fresh);
    await hold.reached.opened;
    // The same id for a taken name: refused (no append under the key yet), and recorded.
    expect(await register(setup, taken)).toMatchObject({ ok: false });
    hold.go.open();
    const first = await registeringFresh;
    // Its position is past the account its follow-up opened.
    expect(first).toMatchObject({ ok: true, position: expect.any(Number) });

    for (const deps of [setup, registering, worker()]) expect(await register(deps, fresh)).toEqual(first);
  });
}

describe('one key, two decisions, on the memory store', () => scenario(memoryShared));
describe('one key, two decisions, on JetStream', () => scenario(() => jetStreamShared()));
