import { creatorTag, isGeneratedId } from '@camledger/domain';
import {
  type EventStore,
  memoryEventStore,
  memoryReplyLog,
  type RecordedEvent,
} from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { createRuntimeDeps, type Faults, type RuntimeDeps } from '../deps.ts';
import { execute } from '../execute.ts';
import { route } from '../route.ts';

// Claims written before the write (Decision.reservations): a client-chosen
// folder id is claimed in `directory-<id>` create-only, then the folder goes
// into its owner's tree. Two creations of one id never both succeed, a crash
// between the claim and the tree is healed by the retry, and a claim left
// without its folder keeps the id for the user who claimed it.

const folderId = 'fld_01JD3XQ4S5M7N8P9R0T1V2W3X4';

const depsOver = (store: EventStore, faults?: Faults): RuntimeDeps =>
  createRuntimeDeps({
    store,
    replies: memoryReplyLog(),
    clock: () => new Date('2026-02-01T00:00:00Z'),
    ...(faults ? { faults } : {}),
  });

async function registered(deps: RuntimeDeps, username: string): Promise<string> {
  const reply = await execute(deps, route('camledger.internal.account.register', 'camledger')!, {
    command_id: `register-${username}`,
    actor: 'system',
    payload: { username },
  });
  if (!reply.ok) throw new Error(`could not register ${username}`);
  return reply.result.user_id as string;
}

const create = (deps: RuntimeDeps, actor: string, commandId: string, name: string) =>
  execute(deps, route('camledger.cmd.folder.create', 'camledger')!, {
    command_id: commandId,
    actor,
    payload: { folder_id: folderId, name, parent_id: 0 },
  });

const dataOf = (e: RecordedEvent | undefined) => (e?.data ?? {}) as Record<string, unknown>;

async function history(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const e of store.readAll()) all.push(e);
  return all;
}
const creationsOf = async (store: EventStore) =>
  (await history(store)).filter((e) => e.type === 'FolderCreated' && dataOf(e).folderId === folderId);
const claimsOf = async (store: EventStore) => store.readStream(`directory-${folderId}`);

describe('two creations of one client-chosen folder id', () => {
  it('from two users at once, on two workers: exactly one is accepted, the other is 128, one owner', async () => {
    for (let trial = 0; trial < 20; trial++) {
      const store = memoryEventStore();
      const one = depsOver(store);
      const two = depsOver(store);
      const alice = await registered(one, 'alice');
      const bob = await registered(two, 'bob');
      const replies = await Promise.all([
        create(one, alice, 'c-a', 'Garden'),
        create(two, bob, 'c-b', 'Drive'),
      ]);
      expect(replies.map((r) => r.code).sort((a, b) => a - b)).toEqual([128, 10000]);
      expect(await creationsOf(store)).toHaveLength(1);
      const claims = await claimsOf(store);
      expect(claims).toHaveLength(1);
      expect(dataOf(claims[0]).owner).toBe(dataOf((await creationsOf(store))[0]).ownerId);
    }
  });

  it('from one user with two command ids and two names at once: exactly one is accepted', async () => {
    const store = memoryEventStore();
    const one = depsOver(store);
    const two = depsOver(store);
    const alice = await registered(one, 'alice');
    const replies = await Promise.all([
      create(one, alice, 'c-1', 'Garden'),
      create(two, alice, 'c-2', 'Drive'),
    ]);
    expect(replies.map((r) => r.code).sort((a, b) => a - b)).toEqual([128, 10000]);
    expect(await creationsOf(store)).toHaveLength(1);
  });
});

describe('a worker that dies between the claim and the tree', () => {
  // The first attempt writes the claim, then the process dies before the tree is written.
  async function crashedAfterClaim() {
    const store = memoryEventStore();
    const setup = depsOver(store);
    const alice = await registered(setup, 'alice');
    const bob = await registered(setup, 'bob');
    const dying = depsOver(store, {
      afterAppend: (stream) => {
        if (stream.startsWith('directory-')) throw new Error('worker killed');
      },
    });
    await expect(create(dying, alice, 'c-1', 'Garden')).rejects.toThrow('worker killed');
    expect(await claimsOf(store)).toHaveLength(1);
    expect(await creationsOf(store)).toHaveLength(0);
    return { store, alice, bob };
  }

  it('is healed by the retry (same command id): it finds its own claim and creates the folder once', async () => {
    const { store, alice } = await crashedAfterClaim();
    const reply = await create(depsOver(store), alice, 'c-1', 'Garden');
    expect(reply).toMatchObject({ ok: true, code: 10000, result: { folder_id: folderId, name: 'Garden' } });
    expect(await creationsOf(store)).toHaveLength(1);
    expect(await claimsOf(store)).toHaveLength(1);
  });

  it('without a retry the id stays reserved to that user: another user gets 128, the user may still create it', async () => {
    const { store, alice, bob } = await crashedAfterClaim();
    const deps = depsOver(store);
    expect(await create(deps, bob, 'c-9', 'Drive')).toMatchObject({
      ok: false,
      code: 128,
      details: { param: 'folder_id', reason: 'already used' },
    });
    expect(await create(deps, alice, 'c-2', 'Shed')).toMatchObject({ ok: true, code: 10000 });
    expect((await creationsOf(store)).map((e) => dataOf(e).ownerId)).toEqual([alice]);
  });
});

describe('what a claim stores', () => {
  it('names who claimed it and for which stream, and no command key (a retry must not take it for its effect)', async () => {
    const store = memoryEventStore();
    const deps = depsOver(store);
    const alice = await registered(deps, 'alice');
    await create(deps, alice, 'c-1', 'Garden');
    const [claim] = await claimsOf(store);
    expect(claim?.metadata).toMatchObject({
      actor: alice,
      commandId: 'c-1',
      reservedFor: `foldertree-${alice}`,
    });
    expect(claim?.metadata.commandKey).toBeUndefined();
  });
});

describe('a folder without a client-chosen id', () => {
  const createNew = (deps: RuntimeDeps, actor: string, commandId: string, name = 'Garden') =>
    execute(deps, route('camledger.cmd.folder.create', 'camledger')!, {
      command_id: commandId,
      actor,
      payload: { name, parent_id: 0 },
    });
  const tagStream = (user: string) => `idtag-${creatorTag(user)}`;

  it("claims no id: the user's first registers her creator tag before the tree, and the reply covers both", async () => {
    const store = memoryEventStore();
    const deps = depsOver(store);
    const user = await registered(deps, 'uma');
    const reply = await createNew(deps, user, 'c-new-1');
    const id = reply.ok ? (reply.result.folder_id as string) : '';
    expect(isGeneratedId(id)).toBe(true);
    expect(await store.readStream(`directory-${id}`)).toEqual([]);
    const [held] = await store.readStream(tagStream(user));
    expect(held).toMatchObject({ type: 'IdTagHeld', data: { userId: user }, metadata: { actor: user } });
    expect(held?.metadata.commandKey).toBeUndefined();
    const [folder] = await store.readStream(`foldertree-${user}`);
    expect(held!.position).toBeLessThan(Number(folder?.position));
    expect(reply).toMatchObject({ ok: true, position: folder?.position });
  });

  it('her next folders are the tree write alone, reading nothing else', async () => {
    const store = memoryEventStore();
    const deps = createRuntimeDeps({ store, replies: memoryReplyLog(), cache: { revalidate: 'on-demand' } });
    const user = await registered(deps, 'wanda');
    expect(await createNew(deps, user, 'c-new-2', 'Shed')).toMatchObject({ ok: true });
    const reads: string[] = [];
    const appends: string[] = [];
    const { readStream, append } = store;
    store.readStream = (stream, options) => {
      reads.push(stream);
      return readStream.call(store, stream, options);
    };
    store.append = (stream, events, options) => {
      appends.push(stream);
      return append.call(store, stream, events, options);
    };
    expect(await createNew(deps, user, 'c-new-3')).toMatchObject({ ok: true });
    expect(reads).toEqual([]);
    expect(appends).toEqual([`foldertree-${user}`]);
    expect(await store.readStream(tagStream(user))).toHaveLength(1);
  });

  it('refused by the store, leaves no folder without its tag; the retry writes both', async () => {
    const store = memoryEventStore();
    const user = await registered(depsOver(store), 'vera');
    const failing = depsOver(store, {
      beforeAppend: (stream) => {
        if (stream.startsWith('idtag-')) throw new Error('store refused the tag');
      },
    });
    await expect(createNew(failing, user, 'c-new-4')).rejects.toThrow('store refused the tag');
    expect(await store.readStream(`foldertree-${user}`)).toEqual([]);
    expect(await createNew(depsOver(store), user, 'c-new-4')).toMatchObject({ ok: true });
    expect((await store.readStream(tagStream(user))).map((e) => dataOf(e).userId)).toEqual([user]);
    expect(await store.readStream(`foldertree-${user}`)).toHaveLength(1);
  });

  it("is found by other users through its creator's tag: 4002 to rename, 128 to take its id", async () => {
    const store = memoryEventStore();
    const deps = depsOver(store);
    const owner = await registered(deps, 'xena');
    const other = await registered(deps, 'yuri');
    const made = await createNew(deps, owner, 'c-new-5');
    const id = made.ok ? (made.result.folder_id as string) : '';
    const rename = await execute(deps, route('camledger.cmd.folder.rename', 'camledger')!, {
      command_id: 'c-new-6',
      actor: other,
      payload: { folder_id: id, name: 'Mine' },
    });
    expect(rename).toMatchObject({ ok: false, code: 4002 });
    const taken = await execute(deps, route('camledger.cmd.folder.create', 'camledger')!, {
      command_id: 'c-new-7',
      actor: other,
      payload: { folder_id: id, name: 'Garden', parent_id: 0 },
    });
    expect(taken).toMatchObject({ ok: false, code: 128 });
    expect(await store.readStream(`foldertree-${other}`)).toEqual([]);
  });
});
