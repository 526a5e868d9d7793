import { randomUUID } from 'node:crypto';
import { commandsByName, normalizeUsername } from '@camledger/domain';
import {
  type EventStore,
  memoryEventStore,
  memoryReplyLog,
  type RecordedEvent,
} from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { createRuntimeDeps, derivedIds, type RuntimeDeps, type RuntimeOptions } from './deps.ts';
import { execute } from './execute.ts';
import { commandKey } from './keys.ts';
import { originOf } from './origin.ts';
import { routeOf } from './route.ts';
import { runCommand } from './run-command.ts';

// Follow-ups run inline, before the reply: who they run as, the key they
// carry, the position the client is given, and the marks that spare the
// durable queue a second run.

const folderId = 'fld_01JD3XQ4S5M7N8P9R0T1V2W3X4';

function worker(store: EventStore, options: Partial<RuntimeOptions> = {}): RuntimeDeps {
  return createRuntimeDeps({ store, replies: memoryReplyLog(), ...options });
}

async function register(deps: RuntimeDeps, commandId: string, username: string, correlationId?: string) {
  const reply = await execute(deps, routeOf('internal', 'account.register')!, {
    command_id: commandId,
    actor: 'system',
    payload: { username },
    ...(correlationId ? { correlation_id: correlationId } : {}),
  });
  if (!reply.ok) throw new Error(`could not register ${username}`);
  return reply;
}

const createFolder = (deps: RuntimeDeps, actor: string, commandId: string, name: string) =>
  execute(deps, routeOf('cmd', 'folder.create')!, {
    command_id: commandId,
    actor,
    payload: { name, parent_id: 0 },
  });

const only = async (store: EventStore, stream: string): Promise<RecordedEvent> => {
  const events = await store.readStream(stream);
  expect(events).toHaveLength(1);
  return events[0]!;
};

describe('the follow-ups of a command', () => {
  it('run as "system" under the origin\'s correlation id, with a command id and key of their own derived from it', async () => {
    const store = memoryEventStore();
    const deps = worker(store);
    const ana = await register(deps, 'c-1', 'ana', 'corr-ana');
    const ben = await register(deps, 'c-2', 'ben', 'corr-ben');

    const claim = await only(store, `username-${normalizeUsername('ana')}`);
    const opened = await only(store, `account-${ana.result.user_id as string}`);
    const openedBen = await only(store, `account-${ben.result.user_id as string}`);
    expect(claim.metadata).toMatchObject({ actor: 'system', commandId: 'c-1', correlationId: 'corr-ana' });
    expect(opened.metadata).toMatchObject({ actor: 'system', correlationId: 'corr-ana' });
    expect(String(opened.metadata.commandId)).toMatch(/^c-1.+/);

    // The queue rebuilds each follow-up's identity from its append: each has its own key, extending its origin's.
    const keys = [originOf([opened]).key, originOf([openedBen]).key];
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[0]!.startsWith(commandKey('system', 'c-1'))).toBe(true);
    expect(keys[0]).not.toBe(commandKey('system', 'c-1'));
  });

  it('leave the append marked as followed up, once, for the queue to ack without a second run', async () => {
    const store = memoryEventStore();
    const deps = worker(store);
    await register(deps, 'c-3', 'cleo');
    const claim = await only(store, `username-${normalizeUsername('cleo')}`);
    expect(deps.followedUp.take(claim.position)).toBe(true);
    expect(deps.followedUp.take(claim.position)).toBe(false);
  });
});

describe('the position of an accepted reply', () => {
  it("is that of the command's own append, which comes after the claims it wrote first", async () => {
    const store = memoryEventStore();
    const deps = worker(store);
    const user = await register(deps, 'c-4', 'dora');
    const actor = user.result.user_id as string;
    const reply = await createFolder(deps, actor, 'c-5', 'Garden');
    expect(reply.ok).toBe(true);
    const created = reply.ok ? (reply.result.folder_id as string) : '';
    const tree = (await store.readStream(`foldertree-${actor}`)).at(-1)!;
    const claim = await only(store, `directory-${created}`);
    expect(Number(claim.position)).toBeLessThan(Number(tree.position));
    expect(reply).toMatchObject({
      stream: `foldertree-${actor}`,
      revision: tree.revision,
      position: tree.position,
    });
  });
});

describe('a follow-up the domain refuses', () => {
  it('is logged at error with what an operator needs, and the append is left for the queue', async () => {
    const store = memoryEventStore();
    const errors: { fields: Record<string, unknown>; message: string }[] = [];
    const invitationId = 'inv_01JD3XQ4S5M7N8P9R0T1V2W3X4';
    const deps = worker(store, {
      // Every new invitation gets the same id: one already claimed by someone else.
      newIds: (key, creator) => {
        const ids = derivedIds(key, creator);
        return (prefix) => (prefix === 'inv' ? invitationId : ids(prefix));
      },
      log: { error: (fields, message) => errors.push({ fields: fields as never, message }), warn: () => {} },
    });
    const owner = (await register(deps, 'c-6', 'eve')).result.user_id as string;
    const other = (await register(deps, 'c-7', 'finn')).result.user_id as string;
    await register(deps, 'c-7b', 'gus');
    const claimed = await runCommand(
      deps,
      commandsByName.get('directory.claim')!,
      { id: invitationId, kind: 'invitation', owner: other, container: other },
      { actor: 'system', commandId: 'claim-1', correlationId: 'claim-1', key: 'claim-1' },
    );
    expect(claimed.reply.ok).toBe(true);
    const network = await execute(deps, routeOf('cmd', 'network.create')!, {
      command_id: 'c-8a',
      actor: owner,
      payload: { name: 'Street', type: 'private', requires_cameras: 0, description: '' },
    });
    const networkId = network.ok ? (network.result.network_id as string) : '';

    const reply = await execute(deps, routeOf('cmd', 'network.invite')!, {
      command_id: 'c-8',
      actor: owner,
      correlation_id: 'corr-8',
      payload: { network_id: networkId, username: 'gus' },
    });

    // The command itself is accepted, at its own append; its follow-up found the id claimed for someone else.
    const sent = (await store.readStream(`network-${networkId}`)).at(-1)!;
    expect(sent.type).toBe('NetworkInvitationSent');
    expect(reply).toMatchObject({
      ok: true,
      stream: `network-${networkId}`,
      position: Number(sent.position),
    });
    expect(await store.readStream(`directory-${invitationId}`)).toHaveLength(1);
    expect(errors).toEqual([
      {
        message: 'follow-up rejected',
        fields: {
          followUp: 'directory.claim',
          commandId: expect.stringMatching(/^c-8.+/),
          correlationId: 'corr-8',
          reply: expect.objectContaining({ ok: false }),
        },
      },
    ]);
    expect(deps.followedUp.take(sent.position)).toBe(false);
  });
});

describe('a folder whose id, derived from the command, is claimed by someone else', () => {
  it('is not created: the command fails and the tree is left as it was', async () => {
    const store = memoryEventStore();
    // Ids derived wrongly: every new folder gets the same id, claimed by another user first.
    const deps = worker(store, {
      newIds: (key, creator) => {
        const ids = derivedIds(key, creator);
        return (prefix) => (prefix === 'fld' ? folderId : ids(prefix));
      },
    });
    const first = (await register(deps, 'c-11', 'hal')).result.user_id as string;
    const second = (await register(deps, 'c-12', 'ivy')).result.user_id as string;
    expect(await createFolder(deps, first, 'c-13', 'Garden')).toMatchObject({ ok: true });
    await expect(createFolder(deps, second, 'c-14', 'Garden')).rejects.toThrow(
      `directory-${folderId}: the claim of an id derived from this command is someone else's`,
    );
    expect(await store.readStream(`foldertree-${second}`)).toEqual([]);
    expect((await only(store, `directory-${folderId}`)).data).toMatchObject({ owner: first });
  });
});

describe('a folder whose own claim the store no longer recognises as a repeat (past its duplicate window)', () => {
  it('is created with that claim: found taken, the claim is known for its own by its event id', async () => {
    // What the command writes, learnt from a first store; the second holds the
    // claim already, written in an append of another shape, so the store takes
    // the runtime's claim for a new create-only append, not for its repeat.
    const learnt = memoryEventStore();
    const actor = (await register(worker(learnt), 'c-15', 'joan')).result.user_id as string;
    const first = await createFolder(worker(learnt), actor, 'c-16', 'Loft');
    const id = first.ok ? (first.result.folder_id as string) : '';
    const [claim] = await learnt.readStream(`directory-${id}`);

    const store = memoryEventStore();
    const deps = worker(store);
    await register(deps, 'c-15', 'joan');
    const { stream: _s, revision: _r, position: _p, ...claimed } = claim!;
    await store.append(`directory-${id}`, [claimed, { ...claimed, id: randomUUID() }], {
      expectedRevision: 'no_stream',
    });
    const reply = await createFolder(deps, actor, 'c-16', 'Loft');
    expect(reply).toMatchObject({ ok: true, result: { folder_id: id } });
    expect((await store.readStream(`foldertree-${actor}`)).map((e) => e.type)).toEqual(['FolderCreated']);
  });
});

describe('a folder whose tree write was refused once after its claim was written', () => {
  it("is created on the retry, finding its own claim: one claim, one folder, the tree append's position", async () => {
    const store = memoryEventStore();
    const deps = worker(store);
    const user = await register(deps, 'c-9', 'gil');
    const actor = user.result.user_id as string;
    let refusals = 0;
    const flaky = worker(store, {
      faults: {
        beforeAppend: (stream) => {
          if (stream.startsWith('foldertree-') && refusals++ === 0) throw new Error('store unavailable');
        },
      },
    });
    await expect(createFolder(flaky, actor, 'c-10', 'Attic')).rejects.toThrow('store unavailable');
    const reply = await createFolder(flaky, actor, 'c-10', 'Attic');
    expect(reply.ok).toBe(true);
    const created = reply.ok ? (reply.result.folder_id as string) : '';
    const tree = await store.readStream(`foldertree-${actor}`);
    expect(tree.filter((e) => e.type === 'FolderCreated')).toHaveLength(1);
    const claim = await only(store, `directory-${created}`);
    expect(Number(claim.position)).toBeLessThan(Number(tree.at(-1)!.position));
    expect(reply).toMatchObject({ position: Number(tree.at(-1)!.position) });
  });
});
