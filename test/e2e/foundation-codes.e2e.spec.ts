import type { CamledgerClient } from '@camledger/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accepted,
  createFolder,
  frameId,
  recordClip,
  registerCamera,
  registerUser,
} from '../support/fixtures.ts';
import { startTestWorker, type TestWorker } from '../support/test-worker.ts';

// Every code of the account, camera, item, trash and folder families, as a
// client sees it over NATS through a real worker. The clock is the test's,
// so the trash window can be crossed without sleeping.

let w: TestWorker;
let client: CamledgerClient;
let now = Date.parse('2026-03-01T12:00:00.000Z');
beforeAll(async () => {
  w = await startTestWorker({ store: 'memory', trashRetention: 'P30D', clock: () => new Date(now) });
  client = w.client;
});
afterAll(() => w.stop());

describe('the envelope and the route', () => {
  it('answers 128 to a body that is not JSON', async () => {
    expect(await w.raw('cmd.folder.create', '{not json')).toMatchObject({ ok: false, code: 128 });
  });
  it('answers 128 naming the missing envelope field', async () => {
    const reply = await w.raw('cmd.folder.create', JSON.stringify({ actor: 'usr_x', payload: {} }));
    expect(reply).toMatchObject({ ok: false, code: 128, details: { param: 'command_id' } });
  });
  it('answers 16 to an unknown action and to an internal action asked on cmd', async () => {
    const body = JSON.stringify({ command_id: 'c1', actor: 'usr_x', payload: {} });
    expect(await w.raw('cmd.folder.explode', body)).toMatchObject({ ok: false, code: 16 });
    expect(await w.raw('cmd.account.register', body)).toMatchObject({ ok: false, code: 16 });
  });
  it('answers 8 to an actor that is not a registered user', async () => {
    const outcome = await client.folder.create(
      { name: 'Garden', parent_id: 0 },
      { actor: 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4' },
    );
    expect(outcome).toMatchObject({ ok: false, code: 8, error: 'UnknownUser' });
  });
  it('answers 8, not 128, to an actor too long to be anyone', async () => {
    const outcome = await client.folder.create(
      { name: 'Garden', parent_id: 0 },
      { actor: `usr_${'X'.repeat(200)}` },
    );
    expect(outcome).toMatchObject({ ok: false, code: 8, details: { param: 'actor' } });
  });
  it('maps parameter validation to the generic codes, naming the parameter', async () => {
    const actor = await registerUser(client);
    const cameraId = await registerCamera(client, actor);
    expect(await client.folder.create({ name: 'ab', parent_id: 0 }, { actor })).toMatchObject({
      code: 192,
      details: { param: 'name' },
    });
    expect(await client.folder.create({ name: 'x'.repeat(65), parent_id: 0 }, { actor })).toMatchObject({
      code: 200,
    });
    expect(await client.send('folder.create', { parent_id: 0 }, { actor })).toMatchObject({
      code: 128,
      details: { param: 'name' },
    });
    expect(await client.send('account.add_credits', { user_id: actor, credits: 'lots' })).toMatchObject({
      code: 136,
    });
    expect(await client.account.add_credits({ user_id: actor, credits: 0 })).toMatchObject({ code: 144 });
    expect(await client.account.add_credits({ user_id: actor, credits: 1_000_001 })).toMatchObject({
      code: 152,
    });
    expect(
      await client.send('camera.update', { camera_id: cameraId, latitude: 'north' }, { actor }),
    ).toMatchObject({
      code: 160,
      details: { param: 'latitude' },
    });
  });
});

describe('accounts and cameras', () => {
  it('registers once per username, case-insensitively: 10000 then 7000', async () => {
    const name = `Carol${Date.now()}`;
    accepted(await client.account.register({ username: name }));
    expect(await client.account.register({ username: name.toLowerCase() })).toMatchObject({
      ok: false,
      code: 7000,
    });
  });
  it('answers 8 when crediting or giving a camera to an unknown user', async () => {
    const stranger = 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4';
    expect(await client.account.add_credits({ user_id: stranger, credits: 5 })).toMatchObject({ code: 8 });
    expect(
      await client.camera.register({ owner_id: stranger, label: 'x', live_view_capable: 0 }),
    ).toMatchObject({
      code: 8,
    });
  });
  it('walks live view through 2000, 2001, 2002, 2003, 1000 and then 10000 with a session', async () => {
    const owner = await registerUser(client);
    const other = await registerUser(client);
    const plain = await registerCamera(client, owner);
    const capable = await registerCamera(client, owner, { liveViewCapable: true });
    const start = (camera_id: string, actor: string) =>
      client.camera.start_liveview({ camera_id }, { actor });
    expect(await start('cam_01JD3XQ4S5M7N8P9R0T1V2W3X4', owner)).toMatchObject({ code: 2000 });
    expect(await start(capable, other)).toMatchObject({ code: 2001 });
    expect(await start(plain, owner)).toMatchObject({ code: 2002 });
    expect(await start(capable, owner)).toMatchObject({ code: 2003 });
    accepted(await client.camera.liveview_connected({ camera_id: capable }));
    expect(await start(capable, owner)).toMatchObject({ code: 1000 });
    accepted(await client.account.add_credits({ user_id: owner, credits: 1 }));
    const session = await start(capable, owner);
    expect(session).toMatchObject({
      ok: true,
      code: 10000,
      result: { session_id: expect.stringMatching(/^lvs_/) },
    });
    expect(await start(capable, owner)).toMatchObject({ code: 1000 });
  });
  it('updates and deletes a camera: 12000, 12100, then 2000', async () => {
    const owner = await registerUser(client);
    const camera_id = await registerCamera(client, owner);
    expect(await client.camera.update({ camera_id, label: 'garage' }, { actor: owner })).toMatchObject({
      code: 12000,
    });
    expect(await client.camera.delete({ camera_id }, { actor: owner })).toMatchObject({ code: 12100 });
    expect(await client.camera.update({ camera_id, label: 'x' }, { actor: owner })).toMatchObject({
      code: 2000,
    });
    expect(
      await client.item.record({
        camera_id,
        start_datetime: '2026-01-01 10:00:00',
        end_datetime: '2026-01-01 10:00:01',
        is_alert: 0,
        frames: [{ identifier: frameId(1), datetime: '2026-01-01 10:00:00' }],
      }),
    ).toMatchObject({ code: 2000 });
  });
});

describe('folders', () => {
  it('answers every folder code a user can meet', async () => {
    const alice = await registerUser(client);
    const bob = await registerUser(client);
    const home = await createFolder(client, alice, 'Home');
    const garden = await createFolder(client, alice, 'Garden', home);
    const bobs = await createFolder(client, bob, 'Bobs');
    const missing = 'fld_01JD3XQ4S5M7N8P9R0T1V2W3X4';
    const as = { actor: alice };
    expect(await client.folder.create({ name: 'Kid', parent_id: missing }, as)).toMatchObject({ code: 4100 });
    expect(await client.folder.create({ name: 'Kid', parent_id: bobs }, as)).toMatchObject({ code: 4102 });
    expect(await client.folder.create({ name: 'GARDEN', parent_id: home }, as)).toMatchObject({ code: 4005 });
    expect(await client.folder.rename({ folder_id: missing, name: 'Yard' }, as)).toMatchObject({
      code: 4000,
    });
    expect(await client.folder.rename({ folder_id: bobs, name: 'Yard' }, as)).toMatchObject({ code: 4002 });
    await createFolder(client, alice, 'Yard', home);
    expect(await client.folder.rename({ folder_id: garden, name: 'yard' }, as)).toMatchObject({ code: 4004 });
    expect(await client.folder.rename({ folder_id: garden, name: 'Lawn' }, as)).toMatchObject({
      code: 14000,
    });
    expect(await client.folder.move({ folder_id: home, parent_id: garden }, as)).toMatchObject({
      code: 4003,
    });
    expect(await client.folder.move({ folder_id: garden, parent_id: home }, as)).toMatchObject({
      code: 4003,
    });
    expect(await client.folder.move({ folder_id: garden, parent_id: missing }, as)).toMatchObject({
      code: 4100,
    });
    expect(await client.folder.move({ folder_id: garden, parent_id: bobs }, as)).toMatchObject({
      code: 4102,
    });
    await createFolder(client, alice, 'Lawn');
    expect(await client.folder.move({ folder_id: garden, parent_id: 0 }, as)).toMatchObject({ code: 4004 });
    const shed = await createFolder(client, alice, 'Shed', home);
    expect(await client.folder.move({ folder_id: shed, parent_id: 0 }, as)).toMatchObject({ code: 14002 });
    expect(await client.folder.delete({ folder_id: bobs }, as)).toMatchObject({ code: 4002 });
    expect(await client.folder.delete({ folder_id: home }, as)).toMatchObject({ code: 14100 });
    expect(await client.folder.rename({ folder_id: garden, name: 'Gone' }, as)).toMatchObject({ code: 4000 });
  });
});

describe('items and the trash', () => {
  it('answers every item code a user can meet', async () => {
    const alice = await registerUser(client);
    const bob = await registerUser(client);
    const camera = await registerCamera(client, alice);
    const clip = await recordClip(client, camera, 3);
    const inbox = await createFolder(client, alice, 'Clips');
    const other = await createFolder(client, alice, 'Other');
    const bobs = await createFolder(client, bob, 'Bobs');
    const missingFolder = 'fld_01JD3XQ4S5M7N8P9R0T1V2W3X4';
    const as = { actor: alice };
    const item_id = clip;

    expect(await client.item.update({ item_id: 'itm_nope', label: 'x' }, as)).toMatchObject({ code: 3000 });
    expect(await client.item.update({ item_id, label: 'x' }, { actor: bob })).toMatchObject({ code: 3002 });
    expect(await client.item.update({ item_id, label: 'porch', note: 'fox' }, as)).toMatchObject({
      code: 13000,
    });
    expect(await client.item.set_flag({ item_id, flagged: 1 }, as)).toMatchObject({ code: 13001 });
    expect(await client.item.move({ item_id, folder_id: missingFolder }, as)).toMatchObject({ code: 3005 });
    expect(await client.item.move({ item_id, folder_id: bobs }, as)).toMatchObject({ code: 3004 });
    expect(await client.item.move({ item_id, folder_id: inbox }, as)).toMatchObject({ code: 13002 });
    expect(await client.item.move({ item_id, folder_id: inbox }, as)).toMatchObject({ code: 3003 });
    expect(await client.item.copy({ item_id, folder_id: inbox }, as)).toMatchObject({ code: 3003 });
    const copy = await client.item.copy({ item_id, folder_id: other }, as);
    expect(copy).toMatchObject({
      ok: true,
      code: 13003,
      result: { item_id: expect.stringMatching(/^itm_/) },
    });

    const snap = await client.item.save_snapshot({ item_id, folder_id: other, identifier: frameId(1) }, as);
    expect(snap).toMatchObject({ ok: true, code: 13200 });
    const snapshotId = snap.ok ? snap.result.item_id : '';
    const again = await client.item.save_snapshot({ item_id, folder_id: other, identifier: frameId(1) }, as);
    expect(again).toMatchObject({ ok: true, code: 13201, result: { item_id: snapshotId } });
    expect(
      await client.item.save_snapshot(
        { item_id: snapshotId as string, folder_id: other, identifier: frameId(1) },
        as,
      ),
    ).toMatchObject({ code: 3006 });
    expect(
      await client.item.save_snapshot({ item_id, folder_id: other, identifier: frameId(99) }, as),
    ).toMatchObject({ code: 3007 });

    expect(await client.item.restore({ item_id }, as)).toMatchObject({ code: 3000 });
    expect(await client.item.delete({ item_id }, as)).toMatchObject({ code: 13101 });
    expect(await client.item.update({ item_id, label: 'x' }, as)).toMatchObject({ code: 3000 });
    now += 30 * 24 * 3600 * 1000 - 1;
    expect(await client.item.restore({ item_id }, as)).toMatchObject({ code: 10000 });
    expect(await client.item.delete({ item_id }, as)).toMatchObject({ code: 13101 });
    now += 30 * 24 * 3600 * 1000;
    expect(await client.item.restore({ item_id }, as)).toMatchObject({ code: 3008 });
    expect(await client.item.delete({ item_id }, as)).toMatchObject({ code: 13100 });
    expect(await client.item.delete({ item_id }, as)).toMatchObject({ code: 3000 });
  });

  it('treats an item whose folder was deleted as gone (3000)', async () => {
    const alice = await registerUser(client);
    const camera = await registerCamera(client, alice);
    const item_id = await recordClip(client, camera);
    const folder = await createFolder(client, alice, 'Doomed');
    accepted(await client.item.move({ item_id, folder_id: folder }, { actor: alice }));
    accepted(await client.folder.delete({ folder_id: folder }, { actor: alice }));
    expect(await client.item.set_flag({ item_id, flagged: 1 }, { actor: alice })).toMatchObject({
      code: 3000,
    });
  });
});
