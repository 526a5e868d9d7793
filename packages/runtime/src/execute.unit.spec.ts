import { accountAggregate, creatorTag, isRegistered, normalizeUsername, rejectWith } from '@camledger/domain';
import { type EventStore, memoryEventStore, memoryReplyLog, type ReplyLog } from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { createRuntimeDeps, type RuntimeDeps } from './deps.ts';
import { execute } from './execute.ts';
import { commandKey, payloadHash } from './keys.ts';
import { route } from './route.ts';
import { StateCache } from './state/state-cache.ts';

// The pipeline without NATS: what a retried, crashed or reused command
// answers, and what it leaves in the store.

/** Runtime deps over `store`; `cache` shrinks the stream key index to let keys leave it early. */
function depsOver(store: EventStore, cache?: { readonly maxKeysPerStream: number }): RuntimeDeps {
  return createRuntimeDeps({
    store,
    replies: memoryReplyLog(),
    clock: () => new Date('2026-02-01T00:00:00Z'),
    ...(cache ? { cache } : {}),
  });
}

const register = (commandId: string, username: string) =>
  [
    route('camledger.internal.account.register', 'camledger')!,
    { command_id: commandId, actor: 'system', payload: { username } },
  ] as const;

describe('exactly-once effect of a command', () => {
  it('answers a retry with the first reply and appends nothing more', async () => {
    const store = memoryEventStore();
    const deps = depsOver(store);
    const first = await execute(deps, ...register('c-1', 'erin'));
    const again = await execute(deps, ...register('c-1', 'erin'));
    expect(again).toEqual(first);
    expect(await store.readStream(`username-${normalizeUsername('erin')}`)).toHaveLength(1);
  });

  it('answers a retry older than the key index keeps with its first reply, from the store, applying it once', async () => {
    const store = memoryEventStore();
    // The memory store remembers keys for good, as JetStream does for its duplicate window.
    const deps = depsOver(store, { maxKeysPerStream: 2 });
    const user = await execute(deps, ...register('c-old-1', 'olga'));
    const actor = user.ok ? String(user.result.user_id) : '';
    const credit = (commandId: string) =>
      [
        route('camledger.internal.account.add_credits', 'camledger')!,
        { command_id: commandId, actor: 'system', payload: { user_id: actor, credits: 5 } },
      ] as const;
    const first = await execute(deps, ...credit('credit-0'));
    for (let i = 1; i <= 4; i++) await execute(deps, ...credit(`credit-${i}`));
    expect(await execute(deps, ...credit('credit-0'))).toEqual(first);
    const account = await new StateCache(store).read(accountAggregate, actor);
    expect(account.state).toMatchObject({ credits: 25 });
  });

  it('rejects a command id reused for another payload with 128 naming command_id', async () => {
    const deps = depsOver(memoryEventStore());
    await execute(deps, ...register('c-2', 'frank'));
    const reused = await execute(deps, ...register('c-2', 'grace'));
    expect(reused).toMatchObject({
      ok: false,
      code: 128,
      details: { param: 'command_id', command_id: 'c-2' },
    });
  });

  it('rejects with 128 a command id reused for another payload after a first answer that appended nothing', async () => {
    // The first answer is a rejection, kept in the reply log only: the
    // payload check there is the only thing that tells a reuse from a retry.
    const deps = depsOver(memoryEventStore());
    await execute(deps, ...register('c-3a', 'pia'));
    expect(await execute(deps, ...register('c-3b', 'PIA'))).toMatchObject({ ok: false, code: 7000 });
    expect(await execute(deps, ...register('c-3b', 'quinn'))).toMatchObject({
      ok: false,
      code: 128,
      details: { command_id: 'c-3b' },
    });
  });

  it('heals a crash between the append and the reply: same reply, follow-ups done, nothing doubled', async () => {
    const store = memoryEventStore();
    // The first worker appends the username claim, then dies before its follow-up and its reply.
    const crashing = Object.assign(Object.create(store) as EventStore, {
      append: async (...args: Parameters<EventStore['append']>) => {
        await store.append(...args);
        throw new Error('worker killed');
      },
    });
    await expect(execute(depsOver(crashing), ...register('c-3', 'heidi'))).rejects.toThrow('worker killed');

    // The client retries with the same command id; another worker, with a cold cache, answers.
    const reply = await execute(depsOver(store), ...register('c-3', 'heidi'));
    expect(reply).toMatchObject({
      ok: true,
      code: 10000,
      result: { user_id: expect.stringMatching(/^usr_/) },
    });
    const userId = reply.ok ? (reply.result.user_id as string) : '';
    expect(await store.readStream(`username-${normalizeUsername('heidi')}`)).toHaveLength(1);
    const account = await new StateCache(store).read(accountAggregate, userId);
    expect(isRegistered(account.state)).toBe(true);
  });

  it('settles concurrent commands on one stream by retrying conflicts: every distinct name is created once', async () => {
    const store = memoryEventStore();
    const deps = depsOver(store);
    const user = await execute(deps, ...register('c-4', 'ivan'));
    const actor = user.ok ? (user.result.user_id as string) : '';
    const create = route('camledger.cmd.folder.create', 'camledger')!;
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        execute(deps, create, {
          command_id: `f-${i}`,
          actor,
          payload: { name: `Folder ${i % 10}`, parent_id: 0 },
        }),
      ),
    );
    expect(replies.filter((r) => r.ok)).toHaveLength(10);
    expect(replies.filter((r) => !r.ok).every((r) => r.code === 4005)).toBe(true);
  });
});

describe('who may send what', () => {
  it('answers 8 to an internal action sent on behalf of a user rather than "system"', async () => {
    const deps = depsOver(memoryEventStore());
    const reply = await execute(deps, route('camledger.internal.account.register', 'camledger')!, {
      command_id: 'c-5',
      actor: 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4',
      payload: { username: 'mallory' },
    });
    expect(reply).toMatchObject({ ok: false, code: 8, details: { param: 'actor' } });
  });

  it('answers 8 to "system" on the user channel: it is not a user', async () => {
    const deps = depsOver(memoryEventStore());
    const reply = await execute(deps, route('camledger.cmd.folder.create', 'camledger')!, {
      command_id: 'c-6',
      actor: 'system',
      payload: { name: 'Garden', parent_id: 0 },
    });
    expect(reply).toMatchObject({ ok: false, code: 8 });
  });
});

describe('an append larger than the store takes', () => {
  it('answers 200 naming the payload, and stores nothing', async () => {
    const store = memoryEventStore();
    const deps = depsOver(store);
    const owner = await execute(deps, ...register('c-7', 'judy'));
    const ownerId = owner.ok ? (owner.result.user_id as string) : '';
    const camera = await execute(deps, route('camledger.internal.camera.register', 'camledger')!, {
      command_id: 'c-8',
      actor: 'system',
      payload: { owner_id: ownerId, label: 'porch', live_view_capable: 0 },
    });
    const cameraId = camera.ok ? (camera.result.camera_id as string) : '';
    // 10,000 frames of 64-character identifiers: valid parameters, but well over the store's 1 MiB.
    const frames = Array.from({ length: 10_000 }, (_, i) => ({
      identifier: `frame-${String(i).padStart(58, '0')}`,
      datetime: '2026-01-01T10:00:00Z',
    }));
    const reply = await execute(deps, route('camledger.internal.item.record', 'camledger')!, {
      command_id: 'c-9',
      actor: 'system',
      payload: {
        camera_id: cameraId,
        start_datetime: '2026-01-01 10:00:00',
        end_datetime: '2026-01-01 10:05:00',
        is_alert: 0,
        frames,
      },
    });
    expect(reply).toMatchObject({ ok: false, code: 200, details: { param: 'payload' } });
    const items: unknown[] = [];
    for await (const event of store.readAll()) if (event.stream.startsWith('item-')) items.push(event);
    expect(items).toEqual([]);
  });
});

describe('the position an accepted reply carries', () => {
  it('is that of the last append the command caused, its follow-ups included', async () => {
    const store = memoryEventStore();
    const reply = await execute(depsOver(store), ...register('c-10', 'kate'));
    const userId = reply.ok ? (reply.result.user_id as string) : '';
    const [claim] = await store.readStream(`username-${normalizeUsername('kate')}`);
    const [opened] = await store.readStream(`account-${userId}`);
    // The reply names the command's own stream and revision, and the position of account.open's append.
    expect(reply).toMatchObject({
      ok: true,
      stream: claim?.stream,
      revision: 0,
      position: Number(opened?.position),
    });
    expect(Number(opened?.position)).toBeGreaterThan(Number(claim?.position));
  });

  it("covers the creator tag written before the user's first folder, on a retry from another worker too", async () => {
    const store = memoryEventStore();
    const user = await execute(depsOver(store), ...register('c-15', 'lars'));
    const actor = user.ok ? (user.result.user_id as string) : '';
    const create = () =>
      execute(depsOver(store), route('camledger.cmd.folder.create', 'camledger')!, {
        command_id: 'c-16',
        actor,
        payload: { name: 'Porch', parent_id: 0 },
      });
    const first = await create();
    const [tag] = await store.readStream(`idtag-${creatorTag(actor)}`);
    const [folder] = await store.readStream(`foldertree-${actor}`);
    expect(Number(folder?.position)).toBeGreaterThan(Number(tag?.position));
    expect(first).toMatchObject({ ok: true, position: Number(folder?.position) });
    // A cold worker finds the key on the tree's append, which came after the tag.
    expect(await create()).toEqual(first);
  });

  it('is absent when the command appended nothing, and repeated as it was on a retry', async () => {
    const store = memoryEventStore();
    const deps = depsOver(store);
    const first = await execute(deps, ...register('c-11', 'lena'));
    expect(await execute(deps, ...register('c-11', 'lena'))).toEqual(first);
    const taken = await execute(deps, ...register('c-12', 'LENA'));
    expect(taken.ok).toBe(false);
    expect(taken).not.toHaveProperty('position');
  });
});

describe('a command id reused after its reply was lost', () => {
  it('is told apart from a retry by the stream key index alone: 128, nothing appended', async () => {
    const store = memoryEventStore();
    const deps = depsOver(store);
    const user = await execute(deps, ...register('c-13', 'mona'));
    const userId = user.ok ? (user.result.user_id as string) : '';
    // The credits are appended, then the worker dies before storing its reply.
    const dying = createRuntimeDeps({
      store,
      replies: memoryReplyLog(),
      faults: {
        beforeRememberReply: () => {
          throw new Error('killed');
        },
      },
    });
    const credit = (deps: RuntimeDeps, credits: number) =>
      execute(deps, route('camledger.internal.account.add_credits', 'camledger')!, {
        command_id: 'c-14',
        actor: 'system',
        payload: { user_id: userId, credits },
      });
    await expect(credit(dying, 5)).rejects.toThrow('killed');
    const before = (await store.readStream(`account-${userId}`)).length;
    expect(await credit(deps, 7)).toMatchObject({ ok: false, code: 128, details: { command_id: 'c-14' } });
    expect(await credit(deps, 5)).toMatchObject({ ok: true, code: 10000 });
    expect(await store.readStream(`account-${userId}`)).toHaveLength(before);
  });
});

describe('a command id reused on the same stream after its key left the stream key index', () => {
  it('is 128 from the store, nothing appended: its events are not taken for a repeat of the first append', async () => {
    // The ids of an append name its decision, not only its key: a reuse
    // decided differently must not share the first append's ids, or the store
    // would take it for a repeat of that append and answer as for it.
    const store = memoryEventStore();
    const deps = depsOver(store, { maxKeysPerStream: 2 });
    const user = await execute(deps, ...register('c-15', 'paula'));
    expect(user).toMatchObject({ ok: true });
    const userId = user.ok ? String(user.result.user_id) : '';
    const credit = (commandId: string, credits: number) =>
      execute(deps, route('camledger.internal.account.add_credits', 'camledger')!, {
        command_id: commandId,
        actor: 'system',
        payload: { user_id: userId, credits },
      });
    const first = await credit('c-16', 5);
    expect(first).toMatchObject({ ok: true, code: 10000 });
    for (let i = 0; i < 4; i++) await credit(`c-17-${i}`, 1);
    const before = (await store.readStream(`account-${userId}`)).length;
    expect(await credit('c-16', 7)).toMatchObject({ ok: false, code: 128, details: { command_id: 'c-16' } });
    expect(await store.readStream(`account-${userId}`)).toHaveLength(before);
    expect((await new StateCache(store).read(accountAggregate, userId)).state).toMatchObject({ credits: 9 });
    expect(await credit('c-16', 5)).toEqual(first);
  });
});

describe('a reply-log record that appended nothing, beside an append under the same key', () => {
  it('gives way to the append: a retry gets the reply of the append, its effect, not the record', async () => {
    // Two runs of one command in flight at once: one decided a rejection and
    // recorded it just as the other's append landed. The append is the id's
    // effect; a retry must be told it was done, not that it was refused.
    const store = memoryEventStore();
    const replies = memoryReplyLog();
    const deps = createRuntimeDeps({ store, replies, clock: () => new Date('2026-02-01T00:00:00Z') });
    const user = await execute(deps, ...register('c-18', 'quincy'));
    const userId = user.ok ? String(user.result.user_id) : '';
    expect(userId).toMatch(/^usr_/);
    const creditRoute = route('camledger.internal.account.add_credits', 'camledger')!;
    const payload = { user_id: userId, credits: 5 };
    const credit = () => execute(deps, creditRoute, { command_id: 'c-19', actor: 'system', payload });
    const first = await credit();
    expect(first).toMatchObject({ ok: true, code: 10000, position: expect.any(Number) });
    // The twin's record: the same command (subject and payload), answered with a rejection.
    await replies.putIfAbsent(commandKey('system', 'c-19'), {
      subject: creditRoute.name,
      payloadHash: payloadHash(payload),
      reply: rejectWith('UnknownUser', { param: 'user_id' }),
    });
    const before = (await store.readStream(`account-${userId}`)).length;
    expect(await credit()).toEqual(first);
    expect(await store.readStream(`account-${userId}`)).toHaveLength(before);
  });
});

describe('two runs of one command id at once, with other payloads, both appending nothing', () => {
  it('answer as the record kept: the first stored keeps its reply, the other is 128, as their retries are told', async () => {
    const deps = depsOver(memoryEventStore());
    await execute(deps, ...register('c-70', 'rita'));
    // Both names are taken (7000): neither appends, so only the reply log can tell them apart.
    const racing = [register('c-71', 'RITA'), register('c-71', 'Rita')] as const;
    const answers = await Promise.all(racing.map((asked) => execute(deps, ...asked)));
    expect(answers.map((a) => a.code).sort()).toEqual([128, 7000]);
    const retries = await Promise.all(racing.map((asked) => execute(deps, ...asked)));
    expect(retries).toEqual(answers);
  });
});

describe('the reply of an accepted append', () => {
  it('is answered without waiting for the reply log; a retry is answered from the append', async () => {
    const store = memoryEventStore();
    const log = memoryReplyLog();
    // A reply log that takes forever to store anything: only an append's reply may pass it by.
    const stuck = { ...log, putIfAbsent: () => new Promise<never>(() => {}) };
    const deps = createRuntimeDeps({ store, replies: stuck, clock: () => new Date('2026-02-01T00:00:00Z') });
    const user = await execute(deps, ...register('c-20', 'nora'));
    expect(user).toMatchObject({ ok: true });
    const again = await execute(depsOver(store), ...register('c-20', 'nora'));
    expect(again).toEqual(user);
    expect(await store.readStream(`username-${normalizeUsername('nora')}`)).toHaveLength(1);
  });
});

describe('the reply-log lookup', () => {
  // A log that counts its lookups; `mayHold` as the adapter answers it, or left out.
  function countingLog(withMayHold: boolean): { log: ReplyLog; counted: { gets: number } } {
    const { mayHold, ...log } = memoryReplyLog();
    const counted = { gets: 0 };
    const get = (key: string) => {
      counted.gets++;
      return log.get(key);
    };
    return { log: { ...log, get, ...(withMayHold && mayHold ? { mayHold } : {}) }, counted };
  }

  it('is skipped for a new command when the log vouches for the key being absent', async () => {
    const { log, counted } = countingLog(true);
    const deps = createRuntimeDeps({ store: memoryEventStore(), replies: log });
    expect(await execute(deps, ...register('c-30', 'olga'))).toMatchObject({ ok: true });
    expect(counted.gets).toBe(0);
  });

  it('is still made for a key the log may hold: a retry of a rejection gets the first rejection', async () => {
    const { log, counted } = countingLog(true);
    const deps = createRuntimeDeps({ store: memoryEventStore(), replies: log });
    await execute(deps, ...register('c-31', 'pia'));
    const taken = await execute(deps, ...register('c-32', 'PIA'));
    expect(taken).toMatchObject({ ok: false });
    expect(await execute(deps, ...register('c-32', 'PIA'))).toEqual(taken);
    expect(counted.gets).toBe(1);
  });

  it('is made for every command when the log cannot vouch (no mayHold)', async () => {
    const { log, counted } = countingLog(false);
    const deps = createRuntimeDeps({ store: memoryEventStore(), replies: log });
    await execute(deps, ...register('c-33', 'quinn'));
    await execute(deps, ...register('c-34', 'rosa'));
    expect(counted.gets).toBe(2);
  });
});

describe('the correlation id of what a command appends', () => {
  it('is the one the client sent, or else the command id', async () => {
    const store = memoryEventStore();
    const deps = depsOver(store);
    await execute(deps, ...register('c-40', 'saul'));
    const [reg, envelope] = register('c-41', 'tess');
    await execute(deps, reg, { ...envelope, correlation_id: 'trace-41' });
    const [saul] = await store.readStream(`username-${normalizeUsername('saul')}`);
    const [tess] = await store.readStream(`username-${normalizeUsername('tess')}`);
    expect(saul?.metadata.correlationId).toBe('c-40');
    expect(tess?.metadata.correlationId).toBe('trace-41');
  });
});

describe('fault hooks left out', () => {
  it('are simply not run: a runtime with only some hooks answers as usual', async () => {
    const deps = createRuntimeDeps({ store: memoryEventStore(), replies: memoryReplyLog(), faults: {} });
    expect(await execute(deps, ...register('c-42', 'uri'))).toMatchObject({ ok: true });
  });
});

describe('a reply that appended nothing', () => {
  // A log that takes a moment to store: what is awaited shows in what it holds when the answer comes.
  function slowLog(): ReplyLog {
    const log = memoryReplyLog();
    return {
      ...log,
      putIfAbsent: async (key, reply) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return log.putIfAbsent(key, reply);
      },
    };
  }

  it('is in the reply log by the time it is answered: a decided rejection', async () => {
    const replies = slowLog();
    const deps = createRuntimeDeps({ store: memoryEventStore(), replies });
    await execute(deps, ...register('c-43', 'vic'));
    const taken = await execute(deps, ...register('c-44', 'VIC'));
    expect(taken).toMatchObject({ ok: false });
    expect((await replies.get(commandKey('system', 'c-44')))?.reply).toEqual(taken);
  });

  it('is in the reply log by the time it is answered: a payload refused by validation', async () => {
    const replies = slowLog();
    const deps = createRuntimeDeps({ store: memoryEventStore(), replies });
    const [reg, envelope] = register('c-45', 'wes');
    const refused = await execute(deps, reg, { ...envelope, payload: {} });
    expect(refused).toMatchObject({ ok: false, details: { param: 'username' } });
    expect((await replies.get(commandKey('system', 'c-45')))?.reply).toEqual(refused);
  });
});

describe('a reply log that fails to store an accepted reply', () => {
  it('does not fail the command: it is answered, and the loss is logged as a warning', async () => {
    const warnings: { fields: object; message: string }[] = [];
    const deps = createRuntimeDeps({
      // Only a store without key memory needs the reply log for an accepted append.
      store: memoryEventStore({ remembersKeys: false }),
      replies: { ...memoryReplyLog(), putIfAbsent: () => Promise.reject(new Error('bucket unavailable')) },
      log: { error: () => {}, warn: (fields, message) => warnings.push({ fields, message }) },
    });
    expect(await execute(deps, ...register('c-46', 'xena'))).toMatchObject({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(warnings).toEqual([
      {
        fields: { err: expect.stringContaining('bucket unavailable') },
        message: 'reply of an accepted append not stored in the reply log',
      },
    ]);
  });
});

describe('the details of an 8', () => {
  it('say an internal action runs as "system"', async () => {
    const deps = depsOver(memoryEventStore());
    const [reg, envelope] = register('c-47', 'yael');
    const reply = await execute(deps, reg, { ...envelope, actor: 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4' });
    expect(reply).toMatchObject({
      code: 8,
      details: { param: 'actor', reason: expect.stringContaining('system') },
    });
  });

  it('name the actor for a user nobody registered', async () => {
    const deps = depsOver(memoryEventStore());
    const reply = await execute(deps, route('camledger.cmd.folder.create', 'camledger')!, {
      command_id: 'c-48',
      actor: 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4',
      payload: { name: 'Garden', parent_id: 0 },
    });
    expect(reply).toMatchObject({ ok: false, code: 8, details: { param: 'actor' } });
  });
});

describe('a command id reused for another subject with the same payload', () => {
  it("is 128 from the reply log, saying why, not the first command's reply", async () => {
    const deps = depsOver(memoryEventStore());
    const payload = { user_id: 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4', credits: 5 };
    // Refused (no such account), so remembered in the reply log only.
    const first = await execute(deps, route('camledger.internal.account.add_credits', 'camledger')!, {
      command_id: 'c-49',
      actor: 'system',
      payload,
    });
    expect(first.ok).toBe(false);
    const reused = await execute(deps, route('camledger.internal.account.register', 'camledger')!, {
      command_id: 'c-49',
      actor: 'system',
      payload,
    });
    expect(reused).toMatchObject({
      ok: false,
      code: 128,
      details: { param: 'command_id', command_id: 'c-49', reason: expect.stringContaining('already used') },
    });
  });
});

describe('a command id reused on another stream, with a store that remembers keys', () => {
  const credit = (commandId: string, userId: string, credits: number) =>
    [
      route('camledger.internal.account.add_credits', 'camledger')!,
      { command_id: commandId, actor: 'system', payload: { user_id: userId, credits } },
    ] as const;

  it('writes no reply-log record for an accepted append: the append carries it', async () => {
    const replies = memoryReplyLog();
    const deps = createRuntimeDeps({ store: memoryEventStore(), replies });
    expect(await execute(deps, ...register('c-60', 'abel'))).toMatchObject({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await replies.get(commandKey('system', 'c-60'))).toBeUndefined();
    // A store without key memory still gets its record, behind the reply.
    const keyless = createRuntimeDeps({ store: memoryEventStore({ remembersKeys: false }), replies });
    expect(await execute(keyless, ...register('c-61', 'abel'))).toMatchObject({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await replies.get(commandKey('system', 'c-61'))).toMatchObject({ reply: { ok: true } });
  });

  it('is 128 from the store when the reuse would append elsewhere: nothing appended there', async () => {
    const store = memoryEventStore();
    const deps = depsOver(store);
    const user = await execute(deps, ...register('c-62', 'bess'));
    const userId = user.ok ? (user.result.user_id as string) : '';
    // The same id for an add_credits: it would append to the account, not the username stream.
    const before = (await store.readStream(`account-${userId}`)).length;
    expect(await execute(deps, ...credit('c-62', userId, 5))).toMatchObject({
      ok: false,
      code: 128,
      details: { param: 'command_id', command_id: 'c-62' },
    });
    expect(await store.readStream(`account-${userId}`)).toHaveLength(before);
    // The first command's retry still gets its first reply, from another worker too.
    expect(await execute(depsOver(store), ...register('c-62', 'bess'))).toEqual(user);
  });

  it('is 128 when the reuse is refused by the domain, and the first command keeps its reply', async () => {
    const store = memoryEventStore();
    const deps = depsOver(store);
    const user = await execute(deps, ...register('c-63', 'cara'));
    const userId = user.ok ? (user.result.user_id as string) : '';
    const first = await execute(deps, ...credit('c-64', userId, 5));
    expect(first).toMatchObject({ ok: true });
    // The same id for a credit to nobody: decided alone it would be refused, but the id is taken.
    const nobody = 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4';
    expect(await execute(deps, ...credit('c-64', nobody, 5))).toMatchObject({ ok: false, code: 128 });
    expect(await execute(depsOver(store), ...credit('c-64', nobody, 5))).toMatchObject({
      ok: false,
      code: 128,
    });
    expect(await execute(depsOver(store), ...credit('c-64', userId, 5))).toEqual(first);
  });
});

describe('an append written before fingerprints were stamped', () => {
  it('is still taken for the same command on a retry: its first reply, nothing appended again', async () => {
    const store = memoryEventStore();
    const deps = depsOver(store);
    const user = await execute(deps, ...register('c-50', 'zoe'));
    const userId = user.ok ? (user.result.user_id as string) : '';
    // An older worker: the same append without the fingerprint, then killed before its reply was stored.
    const older = Object.assign(Object.create(store) as EventStore, {
      append: (...[stream, events, options]: Parameters<EventStore['append']>) =>
        store.append(
          stream,
          events.map(({ metadata: { commandFingerprint: _, ...metadata }, ...event }) => ({
            ...event,
            metadata,
          })),
          options,
        ),
    });
    const credit = (deps: RuntimeDeps) =>
      execute(deps, route('camledger.internal.account.add_credits', 'camledger')!, {
        command_id: 'c-51',
        actor: 'system',
        payload: { user_id: userId, credits: 3 },
      });
    const dying = createRuntimeDeps({
      store: older,
      replies: memoryReplyLog(),
      faults: {
        beforeRememberReply: () => {
          throw new Error('killed');
        },
      },
    });
    await expect(credit(dying)).rejects.toThrow('killed');
    const [last] = (await store.readStream(`account-${userId}`)).slice(-1);
    expect(last?.metadata).not.toHaveProperty('commandFingerprint');
    const before = (await store.readStream(`account-${userId}`)).length;

    expect(await credit(depsOver(store))).toMatchObject({ ok: true, code: 10000, revision: last?.revision });
    expect(await store.readStream(`account-${userId}`)).toHaveLength(before);
  });
});

describe('a retry after a lost reply, on a stream written since', () => {
  it("hands back only its own append for the follow-ups to run again, not its neighbours'", async () => {
    const store = memoryEventStore();
    const deps = depsOver(store);
    const user = await execute(deps, ...register('c-60', 'ada'));
    const userId = user.ok ? (user.result.user_id as string) : '';
    const credit = (deps: RuntimeDeps, commandId: string) =>
      execute(deps, route('camledger.internal.account.add_credits', 'camledger')!, {
        command_id: commandId,
        actor: 'system',
        payload: { user_id: userId, credits: 2 },
      });
    await credit(deps, 'c-61');
    const dying = createRuntimeDeps({
      store,
      replies: memoryReplyLog(),
      faults: {
        beforeRememberReply: () => {
          throw new Error('killed');
        },
      },
    });
    await expect(credit(dying, 'c-62')).rejects.toThrow('killed');
    await credit(deps, 'c-63');
    const [before, lost, after] = (await store.readStream(`account-${userId}`)).slice(-3);

    const fresh = depsOver(store);
    expect(await credit(fresh, 'c-62')).toMatchObject({ ok: true, revision: lost?.revision });
    // The appends this worker ran follow-ups for: the lost one only.
    expect(fresh.followedUp.take(Number(before?.position))).toBe(false);
    expect(fresh.followedUp.take(Number(after?.position))).toBe(false);
    expect(fresh.followedUp.take(Number(lost?.position))).toBe(true);
  });
});
