import { afterAll, beforeAll, expect, it } from 'vitest';
import { accepted } from '../support/fixtures.ts';
import { startTestWorker, type TestWorker } from '../support/test-worker.ts';

// DOMAIN.md §1: an id of the wrong form is simply not found, with its
// family's code. One far longer than any id is the wrong form too (it was
// 128 once), and looking it up on JetStream must not break the worker: its
// stream name is far past NATS's 4 KiB control line.

let w: TestWorker;
let actor: string;
beforeAll(async () => {
  w = await startTestWorker({ store: 'jetstream' });
  actor = accepted(await w.client.send('account.register', { username: `long${Date.now().toString(36)}` }))
    .user_id as string;
});
afterAll(() => w.stop());

const long = (prefix: string) => `${prefix}_${'7'.repeat(20_000)}`;

it('answers its family not-found code for an id of 20,000 characters, and serves on', async () => {
  const asked = [
    ['cmd.item.update', { item_id: long('itm'), label: 'x' }, 3000],
    ['cmd.folder.rename', { folder_id: long('fld'), name: 'Shed' }, 4000],
    ['cmd.folder.create', { name: 'Shed', parent_id: long('fld') }, 4100],
    ['cmd.camera.delete', { camera_id: long('cam') }, 2000],
    ['cmd.network.leave', { network_id: long('net') }, 5000],
    ['cmd.message.reply', { thread_id: long('pmt'), body: 'x' }, 6000],
  ] as const;
  for (const [subject, payload, code] of asked) {
    const reply = await w.raw(subject, JSON.stringify({ command_id: crypto.randomUUID(), actor, payload }));
    expect(reply, subject).toMatchObject({ ok: false, code });
  }
  const internal = await w.raw(
    'internal.account.add_credits',
    JSON.stringify({
      command_id: crypto.randomUUID(),
      actor: 'system',
      payload: { user_id: long('usr'), credits: 1 },
    }),
  );
  expect(internal).toMatchObject({ ok: false, code: 8 });
  // Still connected and serving.
  expect(await w.client.send('folder.create', { name: 'After', parent_id: 0 }, { actor })).toMatchObject({
    ok: true,
  });
});
