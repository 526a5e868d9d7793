import { connectJetStreamStore } from '@camledger/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepted } from '../support/fixtures.ts';
import { startTestWorker, type TestWorker } from '../support/test-worker.ts';

// Two deployments on one NATS server, told apart only by CAMLEDGER_PREFIX:
// neither serves the other's commands nor sees the other's data.

let red: TestWorker;
let blue: TestWorker;
beforeAll(async () => {
  red = await startTestWorker({ store: 'jetstream' });
  blue = await startTestWorker({ store: 'jetstream' });
});
afterAll(async () => {
  await red.stop();
  await blue.stop();
});

describe('two prefixes on one server', () => {
  it('never see each other: the same username and folder id are free in both, users are unknown across', async () => {
    const username = `iso${Date.now().toString(36)}`;
    // The same command id and user id in both namespaces: each one is a first time.
    const user_id = 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X5';
    const once = { commandId: 'same-command-id' };
    const inRed = await red.client.send('account.register', { user_id, username }, once);
    const inBlue = await blue.client.send('account.register', { user_id, username }, once);
    expect(accepted(inRed).user_id).toBe(user_id);
    expect(accepted(inBlue).user_id).toBe(user_id);

    const folder_id = 'fld_01JD3XQ4S5M7N8P9R0T1V2W3X6';
    accepted(
      await red.client.send('folder.create', { folder_id, name: 'Red', parent_id: 0 }, { actor: user_id }),
    );
    // Blue has not seen red's folder: its own create with that id and another name is fresh.
    const blueFolder = await blue.client.send(
      'folder.create',
      { folder_id, name: 'Blue', parent_id: 0 },
      { actor: user_id },
    );
    expect(blueFolder).toMatchObject({ ok: true, code: 10000, result: { folder_id, name: 'Blue' } });

    const another = `iso2${Date.now().toString(36)}`;
    const onlyRed = accepted(await red.client.send('account.register', { username: another }))
      .user_id as string;
    expect(
      await blue.client.send('folder.create', { name: 'Intruder', parent_id: 0 }, { actor: onlyRed }),
    ).toMatchObject({ ok: false, code: 8 });
    expect(await blue.client.send('account.register', { username: another })).toMatchObject({ ok: true });
  });

  it('keeps each namespace in its own JetStream stream', async () => {
    const user = accepted(
      await red.client.send('account.register', { username: `iso3${Date.now().toString(36)}` }),
    ).user_id as string;
    const redStore = await connectJetStreamStore(red.nc, { prefix: red.prefix, replicas: 1 });
    const blueStore = await connectJetStreamStore(blue.nc, { prefix: blue.prefix, replicas: 1 });
    try {
      expect(await redStore.readStream(`account-${user}`)).not.toHaveLength(0);
      expect(await blueStore.readStream(`account-${user}`)).toHaveLength(0);
    } finally {
      await redStore.close();
      await blueStore.close();
    }
  });

  it('serves only its own subjects: a command under a third prefix finds no responder', async () => {
    // With both workers up, nobody answers a prefix neither of them has.
    await expect(
      red.nc.request(`${red.prefix}x.cmd.folder.create`, '{}', { timeout: 1_000 }),
    ).rejects.toMatchObject({ code: '503' });
  });
});
