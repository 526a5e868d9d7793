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
});
