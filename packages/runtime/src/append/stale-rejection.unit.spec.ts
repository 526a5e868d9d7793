import { memoryEventStore, memoryReplyLog } from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { createRuntimeDeps, type RuntimeDeps } from '../deps.ts';
import { execute } from '../execute.ts';
import { routeOf } from '../route.ts';

// A cache that answers from memory (revalidate: on-demand) saves a store read
// per command; the append's expected revision keeps acceptances honest, and
// anything that is not an append is decided again on fresh states first.

describe('a rejection decided on a state held in memory', () => {
  it('is decided again on fresh states: credits added by another worker are spent, not refused', async () => {
    const store = memoryEventStore();
    const replies = memoryReplyLog();
    const clock = () => new Date('2026-02-01T00:00:00Z');
    const trusting = createRuntimeDeps({ store, replies, clock, cache: { revalidate: 'on-demand' } });
    const other = createRuntimeDeps({ store, replies, clock });
    const send = (deps: RuntimeDeps, name: string, actor: string, payload: Record<string, unknown>) =>
      execute(deps, routeOf(actor === 'system' ? 'internal' : 'cmd', name)!, {
        command_id: crypto.randomUUID(),
        actor,
        payload,
      });

    const user = await send(trusting, 'account.register', 'system', { username: 'noor' });
    const userId = user.ok ? (user.result.user_id as string) : '';
    const camera = await send(trusting, 'camera.register', 'system', {
      owner_id: userId,
      label: 'porch',
      live_view_capable: 1,
    });
    const cameraId = camera.ok ? (camera.result.camera_id as string) : '';
    await send(trusting, 'camera.liveview_connected', 'system', { camera_id: cameraId });
    // The trusting worker has the account in memory with no credits.
    expect(await send(trusting, 'camera.start_liveview', userId, { camera_id: cameraId })).toMatchObject({
      code: 1000,
    });
    await send(other, 'account.add_credits', 'system', { user_id: userId, credits: 1 });

    const reply = await send(trusting, 'camera.start_liveview', userId, { camera_id: cameraId });
    expect(reply).toMatchObject({ ok: true, code: 10000 });
  });

  it('an actor unknown to memory is looked up afresh before 8: a user registered by another worker is served', async () => {
    const store = memoryEventStore();
    const replies = memoryReplyLog();
    const trusting = createRuntimeDeps({ store, replies, cache: { revalidate: 'on-demand' } });
    const other = createRuntimeDeps({ store, replies });
    const userId = 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4';
    const create = (deps: RuntimeDeps) =>
      execute(deps, routeOf('cmd', 'folder.create')!, {
        command_id: crypto.randomUUID(),
        actor: userId,
        payload: { name: 'Garden', parent_id: 0 },
      });
    expect(await create(trusting)).toMatchObject({ code: 8 });
    await execute(other, routeOf('internal', 'account.register')!, {
      command_id: 'r-1',
      actor: 'system',
      payload: { user_id: userId, username: 'omar' },
    });
    expect(await create(trusting)).toMatchObject({ ok: true, code: 10000 });
  });

  it('an acceptance is not appended on a state it only read from memory: a camera disconnected by another worker refuses the live view', async () => {
    const store = memoryEventStore();
    const replies = memoryReplyLog();
    const trusting = createRuntimeDeps({ store, replies, cache: { revalidate: 'on-demand' } });
    const other = createRuntimeDeps({ store, replies });
    const send = (deps: RuntimeDeps, name: string, actor: string, payload: Record<string, unknown>) =>
      execute(deps, routeOf(actor === 'system' ? 'internal' : 'cmd', name)!, {
        command_id: crypto.randomUUID(),
        actor,
        payload,
      });
    const user = await send(trusting, 'account.register', 'system', { username: 'lina' });
    const userId = user.ok ? (user.result.user_id as string) : '';
    await send(trusting, 'account.add_credits', 'system', { user_id: userId, credits: 5 });
    const camera = await send(trusting, 'camera.register', 'system', {
      owner_id: userId,
      label: 'gate',
      live_view_capable: 1,
    });
    const cameraId = camera.ok ? (camera.result.camera_id as string) : '';
    await send(trusting, 'camera.liveview_connected', 'system', { camera_id: cameraId });
    // The trusting worker now holds the camera (connected) and the account in memory.
    expect(await send(trusting, 'camera.start_liveview', userId, { camera_id: cameraId })).toMatchObject({
      ok: true,
    });
    await send(other, 'camera.liveview_disconnected', 'system', { camera_id: cameraId });

    const reply = await send(trusting, 'camera.start_liveview', userId, { camera_id: cameraId });
    expect(reply).toMatchObject({ ok: false, error: 'LiveViewNotConnected' });
  });
});

describe('an acceptance without a write decided on a state held in memory', () => {
  it('is decided again on fresh states: a folder deleted by another worker is not reported as still there', async () => {
    const store = memoryEventStore();
    const replies = memoryReplyLog();
    const trusting = createRuntimeDeps({ store, replies, cache: { revalidate: 'on-demand' } });
    const other = createRuntimeDeps({ store, replies });
    const folderId = 'fld_01JD3XQ4S5M7N8P9R0T1V2W3X4';
    const user = await execute(trusting, routeOf('internal', 'account.register')!, {
      command_id: 'r-1',
      actor: 'system',
      payload: { username: 'olive' },
    });
    const actor = user.ok ? (user.result.user_id as string) : '';
    const create = (commandId: string) =>
      execute(trusting, routeOf('cmd', 'folder.create')!, {
        command_id: commandId,
        actor,
        payload: { folder_id: folderId, name: 'Garden', parent_id: 0 },
      });
    expect(await create('f-1')).toMatchObject({ ok: true });
    // The trusting worker still holds the tree with the folder in it.
    expect(
      await execute(other, routeOf('cmd', 'folder.delete')!, {
        command_id: 'd-1',
        actor,
        payload: { folder_id: folderId },
      }),
    ).toMatchObject({ ok: true });

    // Sent again under a new id: the folder is gone, and its id is never used twice.
    expect(await create('f-2')).toMatchObject({ ok: false, details: { param: 'folder_id' } });
  });
});
