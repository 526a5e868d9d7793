import { type CamledgerClient, createClient } from '@camledger/client';
import { deleteJetStreamNamespace } from '@camledger/event-store';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepted } from '../support/fixtures.ts';
import { natsUrl, uniquePrefix } from '../support/test-worker.ts';
import {
  killAllWorkerProcesses,
  readAccountCredits,
  startWorkerProcess,
  type WorkerProcess,
} from '../support/worker-process.ts';

// A client that retries with the same command_id gets the first reply again
// and nothing is appended twice, also when the worker that answered first is
// gone and a fresh process answers the retry. Everything a user did survives
// the restart because it lives in JetStream, not in the worker.

const prefix = uniquePrefix('rst');
const env = { NATS_URL: natsUrl, CAMLEDGER_PREFIX: prefix, CAMLEDGER_STORE: 'jetstream' };
let nc: NatsConnection;
let client: CamledgerClient;
let current: WorkerProcess;

beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
  client = createClient(nc, { prefix, timeoutMs: 10_000, retries: 0 });
});
afterAll(async () => {
  await killAllWorkerProcesses();
  await deleteJetStreamNamespace(nc, prefix);
  await nc.close();
});

describe('a retried command across a worker restart', () => {
  it('answers the first reply again, before and after the restart, and appends once', async () => {
    current = await startWorkerProcess(env);
    const username = `rst${Date.now().toString(36)}`;
    const registered = await client.send('account.register', { username }, { commandId: 'register-1' });
    const userId = accepted(registered).user_id as string;
    const topUp = () =>
      client.send('account.add_credits', { user_id: userId, credits: 7 }, { commandId: 'topup-1' });
    const topUpReply = await topUp();
    accepted(topUpReply);
    const folderReply = await client.send(
      'folder.create',
      { name: 'Driveway', parent_id: 0 },
      { actor: userId, commandId: 'folder-1' },
    );
    accepted(folderReply);

    // A retry to the same worker: the same reply, byte for byte, and nothing new.
    expect(await topUp()).toEqual(topUpReply);
    expect(await readAccountCredits(nc, prefix, userId)).toEqual({ balance: 7, topUps: ['topup-1'] });

    expect(await current.stop()).toMatchObject({ code: 0 });
    current = await startWorkerProcess(env);

    // Retries to a fresh process: still the first replies.
    expect(await topUp()).toEqual(topUpReply);
    expect(await client.send('account.register', { username }, { commandId: 'register-1' })).toEqual(
      registered,
    );
    expect(
      await client.send(
        'folder.create',
        { name: 'Driveway', parent_id: 0 },
        { actor: userId, commandId: 'folder-1' },
      ),
    ).toEqual(folderReply);
    expect(await readAccountCredits(nc, prefix, userId)).toEqual({ balance: 7, topUps: ['topup-1'] });

    // The same command id for a different payload is a reuse, not a retry: 128 naming it.
    const reuse = await client.send(
      'account.add_credits',
      { user_id: userId, credits: 8 },
      { commandId: 'topup-1' },
    );
    expect(reuse).toMatchObject({ ok: false, code: 128, details: { command_id: 'topup-1' } });
  });

  it('keeps the state of before the restart: the username is held and the folder is there', async () => {
    const username = `keep${Date.now().toString(36)}`;
    const userId = accepted(await client.send('account.register', { username })).user_id as string;
    const folderId = accepted(
      await client.send('folder.create', { name: 'Porch', parent_id: 0 }, { actor: userId }),
    ).folder_id as string;

    // kill -9 this time: nothing a worker holds in memory is needed to go on.
    current.kill('SIGKILL');
    await current.exited;
    current = await startWorkerProcess(env);

    expect(await client.send('account.register', { username: username.toUpperCase() })).toMatchObject({
      ok: false,
      code: 7000,
    });
    expect(
      await client.send('folder.create', { name: ' porch ', parent_id: 0 }, { actor: userId }),
    ).toMatchObject({
      ok: false,
      code: 4005,
    });
    expect(
      await client.send('folder.rename', { folder_id: folderId, name: 'Front porch' }, { actor: userId }),
    ).toMatchObject({ ok: true, code: 14000 });
  });
});
