import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker, type TestWorker } from '../support/test-worker.ts';

// DOMAIN.md §1: follow-up commands belong to the workers, not the wire. Asked
// for on any subject they are unknown (16), so nobody can open an account
// past its username reservation or claim another user's id in advance.

const followUps = ['account.open', 'directory.claim', 'item.materialize_snapshot', 'item.link_snapshot_copy'];

describe('follow-up commands on the wire', () => {
  let w: TestWorker;
  beforeAll(async () => {
    w = await startTestWorker();
  });
  afterAll(async () => {
    await w.stop();
  });

  const ask = (subject: string) =>
    w.raw(
      subject,
      JSON.stringify({
        command_id: randomUUID(),
        actor: 'system',
        payload: {
          user_id: 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4',
          username: 'ERIN',
          display_name: '',
        },
      }),
    );

  it.each(followUps)('%s answers 16 on the internal and the cmd channel', async (name) => {
    for (const channel of ['internal', 'cmd'])
      expect(await ask(`${channel}.${name}`), `${channel}.${name}`).toMatchObject({ ok: false, code: 16 });
  });

  it('while registering still opens the account through account.open as a follow-up', async () => {
    const registered = await w.client.account.register({ username: `erin${Date.now().toString(36)}` });
    expect(registered).toMatchObject({ ok: true, code: 10000 });
    const userId = registered.ok ? (registered.result.user_id as string) : '';
    // A user command by the new account passes the actor check (8 otherwise): the account is open.
    const folder = await w.client.folder.create({ name: 'Garden', parent_id: 0 }, { actor: userId });
    expect(folder).toMatchObject({ ok: true });
  });
});
