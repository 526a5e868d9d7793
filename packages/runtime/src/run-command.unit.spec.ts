import { commandsByName, creatorTag, normalizeUsername } from '@camledger/domain';
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
  it("is that of the command's own append, which comes after what it wrote first (a user's first folder: her creator tag)", async () => {
    const store = memoryEventStore();
    const deps = worker(store);
    const user = await register(deps, 'c-4', 'dora');
    const actor = user.result.user_id as string;
    const reply = await createFolder(deps, actor, 'c-5', 'Garden');
    expect(reply.ok).toBe(true);
    const tree = (await store.readStream(`foldertree-${actor}`)).at(-1)!;
    const tag = await only(store, `idtag-${creatorTag(actor)}`);
    expect(Number(tag.position)).toBeLessThan(Number(tree.position));
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

describe("a user's first folder whose tree write was refused once after her creator tag was written", () => {
  it("is created on the retry, which finds the tag registered: one registration, one folder, the tree append's position", async () => {
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
    const tree = await store.readStream(`foldertree-${actor}`);
    expect(tree.filter((e) => e.type === 'FolderCreated')).toHaveLength(1);
    const tag = await only(store, `idtag-${creatorTag(actor)}`);
    expect(Number(tag.position)).toBeLessThan(Number(tree.at(-1)!.position));
    expect(reply).toMatchObject({ position: Number(tree.at(-1)!.position) });
  });
});
