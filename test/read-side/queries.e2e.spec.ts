import { readStoreKinds } from '@camledger/read-model/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accepted,
  createFolder,
  createNetwork,
  frameId,
  type NamedUser,
  registerCamera,
  registerNamedUser,
} from '../support/fixtures.ts';
import { type ReadSide, startReadSide } from './support/read-side.ts';
import { recordClipAt, send } from './support/steps.ts';

// Every query of DOMAIN.md §4 and each of its codes, end to end: commands
// through a real worker, the projector into the read store, queries over
// NATS. Given the commands, when the query, then the answer.

const rejected = (code: number) => expect.objectContaining({ ok: false, code });

/**
 * Whether `order` is none of the wrong ones a list could answer by mistake: by
 * id (either way) and each of `wrong` (either way). Ids are hash-derived, so a
 * test whose key happens to sort like the ids would pass a query ordered by id
 * by luck; its rows must be given an order unlike every wrong one.
 */
function unlikeWrongOrders(order: readonly string[], ...wrong: (readonly string[])[]): boolean {
  const byId = [...order].sort();
  const avoid = [byId, ...wrong].flatMap((o) => [o.join(), [...o].reverse().join()]);
  return !avoid.includes(order.join());
}

/** An order of `ids` unlike every wrong one, for a test to give its rows through the key it checks. */
function orderAgainst(ids: readonly string[], ...wrong: (readonly string[])[]): string[] {
  const permutations = (rest: readonly string[]): string[][] =>
    rest.length <= 1
      ? [[...rest]]
      : rest.flatMap((head, i) =>
          permutations([...rest.slice(0, i), ...rest.slice(i + 1)]).map((tail) => [head, ...tail]),
        );
  const order = permutations(ids).find((candidate) => unlikeWrongOrders(candidate, ...wrong));
  if (!order) throw new Error('no order unlike every wrong one: take more rows');
  return order;
}

/**
 * Four names in case-folded code-point order, the order lists of names
 * answer; raw code points sort them 'Bravo', 'Zulu', 'alpha', 'Éclair', a
 * locale 'alpha', 'Bravo', 'Éclair', 'Zulu'.
 */
const foldedNames = ['alpha', 'Bravo', 'Zulu', 'Éclair'] as const;

describe.each(readStoreKinds)('queries on %s', (kind) => {
  let side: ReadSide;
  let ask: ReadSide['ask'];
  const user = () => registerNamedUser(side.tw.client);
  beforeAll(async () => {
    side = await startReadSide(kind);
    ask = side.ask;
  });
  afterAll(() => side?.stop());

  describe('the wire', () => {
    it('answers 16 to an unknown query and 128 to a body it cannot read', async () => {
      const alice = await user();
      expect(await ask('item.explode', alice.id)).toEqual(rejected(16));
      expect(await ask('account.register', alice.id)).toEqual(rejected(16));
      const raw = await side.tw.raw('query.account.get', '{not json');
      expect(raw).toMatchObject({ ok: false, code: 128, details: { param: 'body' } });
      const noActor = await side.tw.raw('query.account.get', JSON.stringify({ payload: {} }));
      expect(noActor).toMatchObject({ ok: false, code: 128, details: { param: 'actor' } });
    });

    it('answers a rejection that would echo an id past the NATS limit, the id cut short', async () => {
      const alice = await user();
      expect(await ask('account.get', alice.id)).toMatchObject({ code: 10000 }); // projected by now
      // The request just fits NATS's 1 MiB; its 2000, naming the camera_id, would not.
      const body = (id: string) => JSON.stringify({ actor: alice.id, payload: { camera_id: id } });
      const cameraId = `cam_${'x'.repeat(1024 * 1024 - body('cam_').length - 16)}`;
      const reply = await side.tw.raw('query.camera.get', body(cameraId));
      expect(reply).toMatchObject({ ok: false, code: 2000 });
      const echoed = (reply as { details: { camera_id: string } }).details.camera_id;
      expect(cameraId.startsWith(echoed.slice(0, -1))).toBe(true);
      expect(echoed.length).toBeLessThan(300);
    });

    it('answers 8 to an actor that is not a registered user', async () => {
      expect(await ask('account.get', 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4')).toMatchObject({
        ok: false,
        code: 8,
        details: { param: 'actor' },
      });
      expect(await ask('account.get', `usr_${'X'.repeat(200)}`)).toMatchObject({ code: 8 });
    });

    it('validates paging and read-your-writes parameters with the generic codes', async () => {
      const alice = await user();
      expect(await ask('camera.get_list', alice.id, { page: 0 })).toMatchObject({
        code: 144,
        details: { param: 'page' },
      });
      expect(await ask('camera.get_list', alice.id, { qty: 21 })).toMatchObject({
        code: 152,
        details: { param: 'qty' },
      });
      expect(await ask('camera.get_list', alice.id, { qty: 'ten' })).toMatchObject({ code: 136 });
      expect(await ask('camera.get_list', alice.id, { wait_ms: 5001 })).toMatchObject({
        code: 152,
        details: { param: 'wait_ms' },
      });
      expect(await ask('camera.get', alice.id, {})).toMatchObject({
        code: 128,
        details: { param: 'camera_id' },
      });
    });
  });

  it('account.get shows username, display name and credits', async () => {
    const alice = await user();
    await send(side.tw.client, 'account.add_credits', 'system', { user_id: alice.id, credits: 7 });
    expect(await ask('account.get', alice.id)).toEqual({
      ok: true,
      code: 10000,
      result: { user_id: alice.id, username: alice.name, display_name: '', credits: 7 },
      position: expect.any(Number),
    });
  });

  describe('cameras', () => {
    it('camera.get shows every field; 2000 when unknown or deleted, 2001 for another user', async () => {
      const [alice, bob] = [await user(), await user()];
      const cam = await registerCamera(side.tw.client, alice.id, { liveViewCapable: true });
      await send(side.tw.client, 'camera.update', alice.id, {
        camera_id: cam,
        public_label: 'Front',
        latitude: 51.5,
        longitude: -0.12,
        record_video: 1,
      });
      await send(side.tw.client, 'camera.liveview_connected', 'system', { camera_id: cam });
      expect(await ask('camera.get', alice.id, { camera_id: cam })).toMatchObject({
        ok: true,
        result: {
          camera_id: cam,
          label: 'porch',
          public_label: 'Front',
          description: '',
          latitude: 51.5,
          longitude: -0.12,
          alerts: false,
          record_video: true,
          is_hidden: false,
          live_view_capable: true,
          live_view_connected: true,
        },
      });
      expect(await ask('camera.get', bob.id, { camera_id: cam })).toEqual(rejected(2001));
      expect(await ask('camera.get', alice.id, { camera_id: 'cam_nope' })).toEqual(rejected(2000));
      await send(side.tw.client, 'camera.delete', alice.id, { camera_id: cam });
      expect(await ask('camera.get', alice.id, { camera_id: cam })).toEqual(rejected(2000));
      expect(await ask('camera.get', bob.id, { camera_id: cam })).toEqual(rejected(2000));
    });

    it('camera.get_list orders by case-folded label, pages, and counts the total', async () => {
      const alice = await user();
      const ids: string[] = [];
      for (const label of ['b-cam', 'C-cam', 'a-cam']) {
        const id = await registerCamera(side.tw.client, alice.id);
        await send(side.tw.client, 'camera.update', alice.id, { camera_id: id, label });
        ids.push(id);
      }
      const first = await ask('camera.get_list', alice.id, { qty: 2 });
      expect(first.result).toMatchObject({ page: 1, qty: 2, total: 3 });
      const labels = (first.result as { cameras: { label: string }[] }).cameras.map((c) => c.label);
      expect(labels).toEqual(['a-cam', 'b-cam']);
      const past = await ask('camera.get_list', alice.id, { qty: 2, page: 3 });
      expect(past.result).toEqual({ cameras: [], page: 3, qty: 2, total: 3 });
    });

    it('camera.get_list answers every row by case-folded label, not by id, insertion or raw label; ties by id', async () => {
      const alice = await user();
      const cams: string[] = [];
      for (let i = 0; i < 6; i++) cams.push(await registerCamera(side.tw.client, alice.id));
      const labelled = orderAgainst(cams.slice(0, 4), cams.slice(0, 4));
      for (const [i, id] of labelled.entries())
        await send(side.tw.client, 'camera.update', alice.id, { camera_id: id, label: foldedNames[i] });
      const tied = cams.slice(4);
      for (const id of tied)
        await send(side.tw.client, 'camera.update', alice.id, { camera_id: id, label: 'mike' });
      const ids = async (payload: Record<string, unknown> = {}) =>
        (
          (await ask('camera.get_list', alice.id, payload)).result as { cameras: { camera_id: string }[] }
        ).cameras.map((c) => c.camera_id);
      const expected = [labelled[0], labelled[1], ...[...tied].sort(), labelled[2], labelled[3]];
      expect(await ids()).toEqual(expected);
      expect(await ids({ qty: 2, page: 2 })).toEqual(expected.slice(2, 4));
    });
  });

  describe('items', () => {
    it('item.get shows a clip; 3001 to another user, 3000 for an unknown id', async () => {
      const [alice, bob] = [await user(), await user()];
      const cam = await registerCamera(side.tw.client, alice.id);
      const clip = await recordClipAt(side.tw.client, cam, '2026-03-01 08:00:00', {
        frames: 3,
        isAlert: true,
      });
      expect(await ask('item.get', alice.id, { item_id: clip })).toEqual({
        ok: true,
        code: 10000,
        position: expect.any(Number),
        result: {
          item_id: clip,
          kind: 'clip',
          camera_id: cam,
          folder_id: null,
          label: '',
          note: '',
          flagged: false,
          is_alert: true,
          start_datetime: '2026-03-01 08:00:00',
          end_datetime: '2026-03-01 08:00:03',
          frame_count: 3,
        },
      });
      expect(await ask('item.get', bob.id, { item_id: clip })).toEqual(rejected(3001));
      expect(await ask('item.get', alice.id, { item_id: 'itm_nothing' })).toEqual(rejected(3000));
    });

    it('the trash: 3000 to the owner and 3001 to others while trashed; restore; purge is 3000 for all', async () => {
      const [alice, bob] = [await user(), await user()];
      const cam = await registerCamera(side.tw.client, alice.id);
      const clip = await recordClipAt(side.tw.client, cam, '2026-03-01 08:00:00');
      await send(side.tw.client, 'item.delete', alice.id, { item_id: clip });
      expect(await ask('item.get', alice.id, { item_id: clip })).toEqual(rejected(3000));
      expect(await ask('item.get', bob.id, { item_id: clip })).toEqual(rejected(3001));
      const trash = await ask('trash.get_list', alice.id);
      const [trashed] = (trash.result as { items: Record<string, unknown>[] }).items;
      expect(trashed).toMatchObject({
        item_id: clip,
        trashed_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      });
      const window =
        Date.parse(`${String(trashed?.restorable_until).replace(' ', 'T')}Z`) -
        Date.parse(`${String(trashed?.trashed_at).replace(' ', 'T')}Z`);
      expect(window).toBe(30 * 24 * 3600 * 1000);
      expect(await ask('item.get_list', alice.id, { folder_id: 0 })).toMatchObject({
        result: { items: [], total: 0 },
      });
      await send(side.tw.client, 'item.restore', alice.id, { item_id: clip });
      expect(await ask('item.get', alice.id, { item_id: clip })).toMatchObject({ ok: true });
      expect((await ask('trash.get_list', alice.id)).result).toMatchObject({ total: 0 });
      await send(side.tw.client, 'item.delete', alice.id, { item_id: clip });
      await send(side.tw.client, 'item.delete', alice.id, { item_id: clip });
      expect(await ask('item.get', alice.id, { item_id: clip })).toEqual(rejected(3000));
      expect(await ask('item.get', bob.id, { item_id: clip })).toEqual(rejected(3000));
      expect((await ask('trash.get_list', alice.id)).result).toMatchObject({ items: [], total: 0 });
    });

    it('trash.get_list answers the most recently trashed first, not by id, recording, start or trashing order', async () => {
      const alice = await user();
      const cam = await registerCamera(side.tw.client, alice.id);
      const starts = [
        '2026-03-02 08:00:00',
        '2026-03-04 08:00:00',
        '2026-03-01 08:00:00',
        '2026-03-03 08:00:00',
      ];
      const clips: string[] = [];
      for (const start of starts) clips.push(await recordClipAt(side.tw.client, cam, start));
      const newestStart = [clips[1], clips[3], clips[0], clips[2]] as string[];
      const expected = orderAgainst(clips, clips, newestStart);
      for (const id of [...expected].reverse())
        await send(side.tw.client, 'item.delete', alice.id, { item_id: id });
      const list = (await ask('trash.get_list', alice.id)).result as {
        items: { item_id: string; trashed_at: string }[];
      };
      expect(list.items.map((i) => i.item_id)).toEqual(expected);
      const page2 = (await ask('trash.get_list', alice.id, { qty: 2, page: 2 })).result as {
        items: { item_id: string }[];
      };
      expect(page2.items.map((i) => i.item_id)).toEqual(expected.slice(2));
    });

    it('item.get_list: inbox or folder, newest first, filters, datetime before; 3009, 4000, 3001', async () => {
      const [alice, bob] = [await user(), await user()];
      const cam = await registerCamera(side.tw.client, alice.id);
      const cam2 = await registerCamera(side.tw.client, alice.id);
      const early = await recordClipAt(side.tw.client, cam, '2026-03-01 08:00:00');
      const late = await recordClipAt(side.tw.client, cam, '2026-03-02 08:00:00', { isAlert: true });
      const other = await recordClipAt(side.tw.client, cam2, '2026-03-01 12:00:00');
      await send(side.tw.client, 'item.set_flag', alice.id, { item_id: early, flagged: 1 });
      const ids = async (payload: Record<string, unknown>) => {
        const reply = await ask('item.get_list', alice.id, payload);
        return (reply.result as { items: { item_id: string }[] }).items.map((i) => i.item_id);
      };
      expect(await ids({ folder_id: 0 })).toEqual([late, other, early]);
      expect(await ids({ folder_id: '0', flagged: 1 })).toEqual([early]);
      expect(await ids({ folder_id: 0, is_alert: 0 })).toEqual([other, early]);
      expect(await ids({ folder_id: 0, camera_id: cam2 })).toEqual([other]);
      expect(await ids({ folder_id: 0, datetime: '2026-03-01 12:00:00' })).toEqual([early]);
      const folder = await createFolder(side.tw.client, alice.id, 'Garden');
      await send(side.tw.client, 'item.move', alice.id, { item_id: late, folder_id: folder });
      expect(await ids({ folder_id: folder })).toEqual([late]);
      expect(await ids({ folder_id: 0 })).toEqual([other, early]);
      expect(
        await ask('item.get_list', alice.id, { folder_id: 0, datetime: '2026-02-30 10:00:00' }),
      ).toMatchObject({
        ok: false,
        code: 3009,
        details: { param: 'datetime' },
      });
      expect(await ask('item.get_list', alice.id, { folder_id: 'fld_missing' })).toEqual(rejected(4000));
      expect(await ask('item.get_list', bob.id, { folder_id: folder })).toEqual(rejected(3001));
    });

    it('item.get_list answers every item newest first, not by id or by recording order', async () => {
      const alice = await user();
      const cam = await registerCamera(side.tw.client, alice.id);
      // A start is fixed when a clip is recorded, before its id is known: record
      // six out of time order, then file four whose newest-first order is unlike
      // their ids and their recording.
      const days = [3, 1, 5, 2, 6, 4];
      const clips: string[] = [];
      for (const day of days) clips.push(await recordClipAt(side.tw.client, cam, `2026-03-0${day} 08:00:00`));
      const day = (id: string) => days[clips.indexOf(id)] as number;
      const fours = Array.from({ length: 64 }, (_, mask) => clips.filter((_, i) => mask & (1 << i))).filter(
        (four) => four.length === 4,
      );
      const filed = fours.find((four) =>
        unlikeWrongOrders(
          [...four].sort((a, b) => day(b) - day(a)),
          four,
        ),
      );
      if (!filed) throw new Error('six clips sorted like their ids: no four to file');
      const expected = [...filed].sort((a, b) => day(b) - day(a));
      const folder = await createFolder(side.tw.client, alice.id, 'Filed');
      for (const id of filed)
        await send(side.tw.client, 'item.move', alice.id, { item_id: id, folder_id: folder });
      const ids = async (payload: Record<string, unknown>) =>
        (
          (await ask('item.get_list', alice.id, payload)).result as { items: { item_id: string }[] }
        ).items.map((i) => i.item_id);
      expect(await ids({ folder_id: folder })).toEqual(expected);
      expect(await ids({ folder_id: folder, qty: 2, page: 2 })).toEqual(expected.slice(2));
    });

    it('item.get_frames pages frames in order (qty up to 100); snapshots show their source', async () => {
      const alice = await user();
      const cam = await registerCamera(side.tw.client, alice.id);
      const clip = await recordClipAt(side.tw.client, cam, '2026-03-01 08:00:00', { frames: 5 });
      const page2 = await ask('item.get_frames', alice.id, { item_id: clip, qty: 2, page: 2 });
      expect(page2.result).toEqual({
        frames: [
          { identifier: frameId(2), datetime: '2026-03-01 08:00:02', milliseconds: 2 },
          { identifier: frameId(3), datetime: '2026-03-01 08:00:03', milliseconds: 3 },
        ],
        page: 2,
        qty: 2,
        total: 5,
      });
      expect((await ask('item.get_frames', alice.id, { item_id: clip })).result).toMatchObject({
        qty: 100,
        total: 5,
      });
      expect(await ask('item.get_frames', alice.id, { item_id: clip, qty: 101 })).toEqual(rejected(152));
      // In the order recorded, whatever the identifiers: these sort the other way.
      const recorded = [frameId(9), frameId(8), frameId(7)];
      const reversed = accepted(
        await side.tw.client.item.record({
          camera_id: cam,
          start_datetime: '2026-03-01T09:00:00.000Z',
          end_datetime: '2026-03-01T09:00:03.000Z',
          is_alert: 0,
          frames: recorded.map((identifier, i) => ({
            identifier,
            datetime: `2026-03-01T09:00:0${i}.000Z`,
            milliseconds: i,
          })),
        }),
      ).item_id as string;
      const frames = (await ask('item.get_frames', alice.id, { item_id: reversed })).result as {
        frames: { identifier: string }[];
      };
      expect(frames.frames.map((f) => f.identifier)).toEqual(recorded);
      const folder = await createFolder(side.tw.client, alice.id, 'Stills');
      const snap = (
        await send(side.tw.client, 'item.save_snapshot', alice.id, {
          item_id: clip,
          folder_id: folder,
          identifier: frameId(1),
        })
      ).item_id as string;
      expect(await ask('item.get', alice.id, { item_id: snap })).toMatchObject({
        result: {
          kind: 'snapshot',
          folder_id: folder,
          source_item_id: clip,
          identifier: frameId(1),
          frame_count: 1,
        },
      });
    });
  });

  describe('folders', () => {
    it('folder.get counts subfolders and items; folder.get_list orders by case-folded name; 4000, 4001', async () => {
      const [alice, bob] = [await user(), await user()];
      const top = await createFolder(side.tw.client, alice.id, 'Home');
      const names = ['beta', 'Alpha', 'Gamma'];
      const children: string[] = [];
      for (const name of names) children.push(await createFolder(side.tw.client, alice.id, name, top));
      const cam = await registerCamera(side.tw.client, alice.id);
      const clip = await recordClipAt(side.tw.client, cam, '2026-03-01 08:00:00');
      await send(side.tw.client, 'item.move', alice.id, { item_id: clip, folder_id: top });
      expect((await ask('folder.get', alice.id, { folder_id: top })).result).toEqual({
        folder_id: top,
        name: 'Home',
        parent_id: 0,
        subfolder_count: 3,
        item_count: 1,
      });
      const list = await ask('folder.get_list', alice.id, { parent_id: top });
      expect((list.result as { folders: { name: string }[] }).folders.map((f) => f.name)).toEqual([
        'Alpha',
        'beta',
        'Gamma',
      ]);
      const tops = await ask('folder.get_list', alice.id, { parent_id: 0 });
      expect((tops.result as { folders: { folder_id: string }[] }).folders.map((f) => f.folder_id)).toEqual([
        top,
      ]);
      expect(await ask('folder.get', bob.id, { folder_id: top })).toEqual(rejected(4001));
      expect(await ask('folder.get_list', bob.id, { parent_id: top })).toEqual(rejected(4001));
      expect(await ask('folder.get', alice.id, { folder_id: 'fld_none' })).toEqual(rejected(4000));
    });

    it('folder.get_list answers every subfolder by case-folded name, not by id, creation or raw name', async () => {
      const alice = await user();
      const top = await createFolder(side.tw.client, alice.id, 'Top');
      const children: string[] = [];
      for (let i = 0; i < 4; i++)
        children.push(await createFolder(side.tw.client, alice.id, `child ${i}`, top));
      const named = orderAgainst(children, children);
      for (const [i, id] of named.entries())
        await send(side.tw.client, 'folder.rename', alice.id, { folder_id: id, name: foldedNames[i] });
      const list = await ask('folder.get_list', alice.id, { parent_id: top });
      expect((list.result as { folders: { folder_id: string }[] }).folders.map((f) => f.folder_id)).toEqual(
        named,
      );
      expect((list.result as { folders: { name: string }[] }).folders.map((f) => f.name)).toEqual([
        ...foldedNames,
      ]);
    });

    it('deleting a folder takes its subtree and items out of every view, for everyone', async () => {
      const [alice, bob] = [await user(), await user()];
      const top = await createFolder(side.tw.client, alice.id, 'Old');
      const sub = await createFolder(side.tw.client, alice.id, 'Older', top);
      const cam = await registerCamera(side.tw.client, alice.id);
      const clip = await recordClipAt(side.tw.client, cam, '2026-03-01 08:00:00');
      await send(side.tw.client, 'item.move', alice.id, { item_id: clip, folder_id: sub });
      await send(side.tw.client, 'folder.delete', alice.id, { folder_id: top });
      for (const who of [alice, bob]) {
        expect(await ask('folder.get', who.id, { folder_id: sub })).toEqual(rejected(4000));
        expect(await ask('item.get', who.id, { item_id: clip })).toEqual(rejected(3000));
      }
      expect(await ask('item.get_list', alice.id, { folder_id: sub })).toEqual(rejected(4000));
      expect((await ask('folder.get_list', alice.id, { parent_id: 0 })).result).toMatchObject({ total: 0 });
    });
  });

  describe('networks', () => {
    let owner: NamedUser;
    let member: NamedUser;
    let stranger: NamedUser;
    let invitee: NamedUser;
    let hidden: string;
    let open: string;
    let invitation: string;
    beforeAll(async () => {
      // The owner's username sorts after every other's ('user…'), and it registers
      // first: only the owner-first rule, not the name or the id, lists it first.
      owner = await registerNamedUser(side.tw.client, 'zowner');
      [member, stranger, invitee] = [await user(), await user(), await user()];
      hidden = await createNetwork(side.tw.client, owner.id, 'hidden');
      open = await createNetwork(side.tw.client, owner.id, 'public');
      await send(side.tw.client, 'network.invite', owner.id, { network_id: hidden, username: member.name });
      const accept = await ask('network.get', member.id, { network_id: hidden });
      invitation = (accept.result as { invitation_id: string }).invitation_id;
      await send(side.tw.client, 'network.accept_invitation', member.id, { invitation_id: invitation });
      invitation = (
        await send(side.tw.client, 'network.invite', owner.id, { network_id: hidden, username: invitee.name })
      ).invitation_id as string;
      await send(side.tw.client, 'network.join', stranger.id, { network_id: open });
    });

    it('network.get: 5001 for a hidden network to a stranger; its invitee and members see it', async () => {
      expect(await ask('network.get', stranger.id, { network_id: hidden })).toEqual(rejected(5001));
      expect(await ask('network.get', invitee.id, { network_id: hidden })).toMatchObject({
        ok: true,
        result: { is_member: false, invitation_id: invitation, request_pending: false },
      });
      expect(await ask('network.get', member.id, { network_id: hidden })).toMatchObject({
        result: {
          network_id: hidden,
          type: 'hidden',
          requires_cameras: false,
          owner: { user_id: owner.id, username: owner.name },
          member_count: 2,
          is_member: true,
          invitation_id: null,
        },
      });
      expect(await ask('network.get', member.id, { network_id: 'net_none' })).toEqual(rejected(5000));
    });

    it('network.get_list shows hidden networks only to members, filters member and type; 5004', async () => {
      const ids = async (who: NamedUser, payload: Record<string, unknown> = {}) =>
        (
          (await ask('network.get_list', who.id, payload)).result as { networks: { network_id: string }[] }
        ).networks
          .map((n) => n.network_id)
          .filter((id) => id === hidden || id === open);
      expect(await ids(stranger)).toEqual([open]);
      expect((await ids(member)).sort()).toEqual([hidden, open].sort());
      expect(await ids(member, { member: 1 })).toEqual([hidden]);
      expect(await ids(member, { member: 0 })).toEqual([open]);
      expect(await ids(owner, { type: 'public' })).toEqual([open]);
      expect(await ask('network.get_list', owner.id, { type: 'Public' })).toEqual(rejected(5004));
    });

    it('network.get_list answers by case-folded name, not by id, creation or raw name; ties by id', async () => {
      const nets: string[] = [];
      for (let i = 0; i < 6; i++) nets.push(await createNetwork(side.tw.client, owner.id, 'private'));
      const named = orderAgainst(nets.slice(0, 4), nets.slice(0, 4));
      for (const [i, id] of named.entries())
        await send(side.tw.client, 'network.update', owner.id, { network_id: id, name: foldedNames[i] });
      const tied = nets.slice(4);
      for (const id of tied)
        await send(side.tw.client, 'network.update', owner.id, { network_id: id, name: 'mike' });
      const listed = (
        (await ask('network.get_list', stranger.id)).result as { networks: { network_id: string }[] }
      ).networks
        .map((n) => n.network_id)
        .filter((id) => nets.includes(id));
      expect(listed).toEqual([named[0], named[1], ...[...tied].sort(), named[2], named[3]]);
    });

    it('network.get_members lists the owner first; 5002 for a non-member, 5001 hidden', async () => {
      const members = await ask('network.get_members', member.id, { network_id: hidden });
      expect(members.result).toEqual({
        members: [
          { user_id: owner.id, username: owner.name, cameras: [] },
          { user_id: member.id, username: member.name, cameras: [] },
        ],
        page: 1,
        qty: 20,
        total: 2,
      });
      expect(await ask('network.get_members', member.id, { network_id: open })).toEqual(rejected(5002));
      expect(await ask('network.get_members', stranger.id, { network_id: hidden })).toEqual(rejected(5001));
    });

    it('network.get_requests shows pending requests to the owner only; 5003', async () => {
      const priv = await createNetwork(side.tw.client, owner.id, 'private');
      const asker = await user();
      const cam = await registerCamera(side.tw.client, asker.id);
      await send(side.tw.client, 'network.request_join', asker.id, { network_id: priv, cameras: [cam] });
      expect((await ask('network.get_requests', owner.id, { network_id: priv })).result).toMatchObject({
        requests: [{ user_id: asker.id, username: asker.name, cameras: [cam] }],
        total: 1,
      });
      expect(await ask('network.get', asker.id, { network_id: priv })).toMatchObject({
        result: { request_pending: true, is_member: false },
      });
      expect(await ask('network.get_requests', asker.id, { network_id: priv })).toEqual(rejected(5003));
      await send(side.tw.client, 'network.approve_request', owner.id, {
        network_id: priv,
        user_id: asker.id,
      });
      expect((await ask('network.get_requests', owner.id, { network_id: priv })).result).toMatchObject({
        total: 0,
      });
      expect((await ask('network.get_members', asker.id, { network_id: priv })).result).toMatchObject({
        members: [{ user_id: owner.id }, { user_id: asker.id, cameras: [cam] }],
      });
      await send(side.tw.client, 'network.delete', owner.id, { network_id: priv });
      expect(await ask('network.get', owner.id, { network_id: priv })).toEqual(rejected(5000));
    });

    it('network.get_requests answers the oldest request first, not by id, username or registration', async () => {
      const priv = await createNetwork(side.tw.client, owner.id, 'private');
      const askers: NamedUser[] = [];
      for (let i = 0; i < 4; i++) askers.push(await user());
      const registered = askers.map((a) => a.id);
      const byUsername = [...askers].sort((a, b) => (a.name < b.name ? -1 : 1)).map((a) => a.id);
      const expected = orderAgainst(registered, registered, byUsername);
      for (const id of expected) await send(side.tw.client, 'network.request_join', id, { network_id: priv });
      const requests = (await ask('network.get_requests', owner.id, { network_id: priv })).result as {
        requests: { user_id: string }[];
      };
      expect(requests.requests.map((r) => r.user_id)).toEqual(expected);
      const page2 = (await ask('network.get_requests', owner.id, { network_id: priv, qty: 2, page: 2 }))
        .result as { requests: { user_id: string }[] };
      expect(page2.requests.map((r) => r.user_id)).toEqual(expected.slice(2));
    });
  });

  describe('forums and private messages', () => {
    it('forum.get_list and get_thread: public forums open to all, private ones to members; 5002, 5200', async () => {
      const [owner, stranger] = [await user(), await user()];
      const open = await createNetwork(side.tw.client, owner.id, 'public');
      const priv = await createNetwork(side.tw.client, owner.id, 'private');
      const first = (
        await send(side.tw.client, 'forum.post_message', owner.id, {
          network_id: open,
          subject: 'Hello',
          body: 'first',
        })
      ).thread_id as string;
      const second = (
        await send(side.tw.client, 'forum.post_message', owner.id, {
          network_id: open,
          subject: 'Later',
          body: 'one',
        })
      ).thread_id as string;
      await send(side.tw.client, 'forum.post_message', owner.id, { thread_id: first, body: 'second' });
      const list = await ask('forum.get_list', stranger.id, { network_id: open });
      expect(list.result).toMatchObject({
        threads: [
          {
            thread_id: first,
            subject: 'Hello',
            author: { user_id: owner.id, username: owner.name },
            posts: 2,
          },
          { thread_id: second, posts: 1 },
        ],
        total: 2,
      });
      const thread = await ask('forum.get_thread', stranger.id, { thread_id: first });
      expect(thread.result).toMatchObject({
        thread_id: first,
        network_id: open,
        subject: 'Hello',
        posts: [{ body: 'first', author: { user_id: owner.id } }, { body: 'second' }],
        total: 2,
      });
      const privThread = (
        await send(side.tw.client, 'forum.post_message', owner.id, {
          network_id: priv,
          subject: 'Members only',
          body: 'x',
        })
      ).thread_id as string;
      expect(await ask('forum.get_list', stranger.id, { network_id: priv })).toEqual(rejected(5002));
      expect(await ask('forum.get_thread', stranger.id, { thread_id: privThread })).toEqual(rejected(5002));
      expect(await ask('forum.get_thread', owner.id, { thread_id: 'thr_none' })).toEqual(rejected(5200));
      await send(side.tw.client, 'network.delete', owner.id, { network_id: open });
      expect(await ask('forum.get_thread', owner.id, { thread_id: first })).toEqual(rejected(5200));
      expect(await ask('forum.get_list', owner.id, { network_id: open })).toEqual(rejected(5000));
    });

    it('forum.get_list answers the thread with the latest post first, not by id, by start or by earliest post', async () => {
      const owner = await user();
      const open = await createNetwork(side.tw.client, owner.id, 'public');
      const started: string[] = [];
      for (const subject of ['a', 'b', 'c', 'd'])
        started.push(
          (
            await send(side.tw.client, 'forum.post_message', owner.id, {
              network_id: open,
              subject,
              body: 'x',
            })
          ).thread_id as string,
        );
      const expected = orderAgainst(started, started);
      for (const id of [...expected].reverse())
        await send(side.tw.client, 'forum.post_message', owner.id, { thread_id: id, body: 'later' });
      const list = (await ask('forum.get_list', owner.id, { network_id: open })).result as {
        threads: { thread_id: string; posts: number }[];
      };
      expect(list.threads.map((t) => t.thread_id)).toEqual(expected);
      expect(list.threads.map((t) => t.posts)).toEqual([2, 2, 2, 2]);
    });

    it('message.get_list and get_thread show a conversation to its two participants only; 6000, 6001', async () => {
      const [alice, bob, carol] = [await user(), await user(), await user()];
      const thread = (
        await send(side.tw.client, 'message.send', alice.id, {
          to_username: bob.name,
          subject: 'Lunch?',
          body: 'noon',
        })
      ).thread_id as string;
      await send(side.tw.client, 'message.reply', bob.id, { thread_id: thread, body: 'yes' });
      expect((await ask('message.get_list', bob.id)).result).toMatchObject({
        threads: [
          {
            thread_id: thread,
            subject: 'Lunch?',
            with: { user_id: alice.id, username: alice.name },
            messages: 2,
          },
        ],
        total: 1,
      });
      expect((await ask('message.get_thread', alice.id, { thread_id: thread })).result).toMatchObject({
        thread_id: thread,
        participants: [{ user_id: alice.id }, { user_id: bob.id }],
        messages: [
          { from: { user_id: alice.id }, body: 'noon' },
          { from: { user_id: bob.id }, body: 'yes' },
        ],
      });
      expect(await ask('message.get_thread', carol.id, { thread_id: thread })).toEqual(rejected(6001));
      expect(await ask('message.get_thread', carol.id, { thread_id: 'pmt_none' })).toEqual(rejected(6000));
      expect((await ask('message.get_list', carol.id)).result).toMatchObject({ threads: [], total: 0 });
    });

    it('message.get_list answers the thread with the latest message first, not by id, by start or by earliest message', async () => {
      const [alice, bob, carol, dan] = [await user(), await user(), await user(), await user()];
      const start = async (from: NamedUser, to: NamedUser, subject: string) =>
        (await send(side.tw.client, 'message.send', from.id, { to_username: to.name, subject, body: 'hi' }))
          .thread_id as string;
      // Alice starts some and is written to in others.
      const started = [
        await start(alice, bob, 'a'),
        await start(carol, alice, 'b'),
        await start(alice, dan, 'c'),
        await start(bob, alice, 'd'),
      ];
      const expected = orderAgainst(started, started);
      for (const id of [...expected].reverse())
        await send(side.tw.client, 'message.reply', alice.id, { thread_id: id, body: 'later' });
      const list = (await ask('message.get_list', alice.id)).result as {
        threads: { thread_id: string; messages: number }[];
        total: number;
      };
      expect(list.threads.map((t) => t.thread_id)).toEqual(expected);
      expect(list.total).toBe(4);
      const bobs = (await ask('message.get_list', bob.id)).result as { threads: { thread_id: string }[] };
      const bobsExpected = expected.filter((id) => id === started[0] || id === started[3]);
      expect(bobs.threads.map((t) => t.thread_id)).toEqual(bobsExpected);
    });
  });

  describe('reading your own writes', () => {
    it('a query with the position of a write sees it; one that cannot wait answers stale', async () => {
      const alice = await user();
      const reply = await side.tw.client.folder.create({ name: 'Fresh', parent_id: 0 }, { actor: alice.id });
      const folder = accepted(reply);
      // The command's own position (§2); the head of the log where a worker does not give it yet.
      const position = (reply as { position?: number }).position ?? (await side.head());
      const seen = await ask(
        'folder.get',
        alice.id,
        { folder_id: folder.folder_id, min_position: position },
        { fresh: false },
      );
      expect(seen).toMatchObject({ ok: true, result: { name: 'Fresh' } });
      expect(seen.position as number).toBeGreaterThanOrEqual(position);
      expect(seen.stale).toBeUndefined();
      const future = await ask(
        'account.get',
        alice.id,
        { min_position: position + 1_000_000, wait_ms: 0 },
        { fresh: false },
      );
      expect(future).toMatchObject({ ok: true, stale: true });
      const started = Date.now();
      const waited = await ask(
        'account.get',
        alice.id,
        { min_position: position + 1_000_000, wait_ms: 300 },
        { fresh: false },
      );
      expect(waited).toMatchObject({ ok: true, stale: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });

    it('a user registered a moment ago is known to a query that waits for the registration', async () => {
      const carol = await registerNamedUser(side.tw.client);
      const position = await side.head();
      expect(await ask('account.get', carol.id, { min_position: position }, { fresh: false })).toMatchObject({
        ok: true,
        result: { user_id: carol.id },
      });
    });
  });
});
