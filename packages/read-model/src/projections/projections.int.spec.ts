import type { RecordedEvent } from '@camledger/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBatch, readCheckpoint } from '../projector/apply-batch.ts';
import { installForProjector } from '../schema/install.ts';
import { answerQuery } from '../serve/answer.ts';
import { AppliedPosition } from '../serve/applied-position.ts';
import { openReadStore } from '../store/open.ts';
import type { ReadStore } from '../store/port.ts';
import { type TestReadStorePlace, testReadStorePlace } from '../testing/read-stores.ts';

// Given these events in the log, when a user asks this query, then this is
// the answer: the projection handlers on their own, without a worker, for
// the cases a worker rarely produces (races the commands allow, old event
// versions) and the membership rules.

let place: TestReadStorePlace;
let store: ReadStore;
let position = 0;
let n = 0;
const id = (prefix: string) => `${prefix}_0${String(++n).padStart(25, '0')}`;

beforeAll(async () => {
  place = await testReadStorePlace('postgres');
  store = await openReadStore(place.config);
  await installForProjector(store, 'given-when-then');
});
afterAll(async () => {
  await store.close();
  await place.dispose();
});

type Given = readonly [stream: string, type: string, data: Record<string, unknown>, schemaVersion?: number];

async function given(...events: Given[]): Promise<void> {
  const recorded: RecordedEvent[] = events.map(([stream, type, data, schemaVersion = 1]) => ({
    id: crypto.randomUUID(),
    stream,
    revision: 0,
    position: ++position,
    type,
    data,
    metadata: { occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, position)).toISOString(), schemaVersion },
  }));
  await applyBatch(store, recorded, await readCheckpoint(store));
}

const ask = (query: string, actor: string, payload: Record<string, unknown> = {}) =>
  answerQuery(
    { store, applied: new AppliedPosition(store), trashRetentionMs: 1000 },
    query,
    JSON.stringify({ actor, payload }),
  );

async function user(): Promise<string> {
  const userId = id('usr');
  await given([
    `account-${userId}`,
    'AccountRegistered',
    { userId, username: userId.slice(-8), displayName: '' },
  ]);
  return userId;
}

const clip = (itemId: string, ownerId: string) =>
  [
    `item-${itemId}`,
    'ItemRecorded',
    {
      itemId,
      ownerId,
      cameraId: 'cam_x',
      startDatetime: '2026-01-01T00:00:00.000Z',
      endDatetime: '2026-01-01T00:00:01.000Z',
      isAlert: false,
      frames: [{ identifier: 'f'.repeat(27), datetime: '2026-01-01T00:00:00.000Z', milliseconds: null }],
    },
  ] as const satisfies Given;

describe('items and folders', () => {
  it('a snapshot materialised into a folder deleted meanwhile is gone for its owner', async () => {
    const ann = await user();
    const [folder, clipId, snap] = [id('fld'), id('itm'), id('itm')];
    await given(
      [
        `foldertree-${ann}`,
        'FolderCreated',
        { folderId: folder, ownerId: ann, name: 'Keep', parentId: null },
        2,
      ],
      clip(clipId, ann),
      [`foldertree-${ann}`, 'FolderDeleted', { folderId: folder, deletedFolderIds: [folder] }],
      [
        `item-${snap}`,
        'SnapshotItemCreated',
        {
          itemId: snap,
          clipItemId: clipId,
          identifier: 'f'.repeat(27),
          ownerId: ann,
          cameraId: 'cam_x',
          folderId: folder,
          isAlert: false,
          frame: { identifier: 'f'.repeat(27), datetime: '2026-01-01T00:00:00.000Z', milliseconds: null },
        },
      ],
    );
    expect(await ask('item.get', ann, { item_id: snap })).toMatchObject({ ok: false, code: 3000 });
    expect(await ask('item.get', ann, { item_id: clipId })).toMatchObject({ ok: true });
  });

  it('an item restored into a folder deleted meanwhile is gone; one restored to the inbox stays', async () => {
    const ann = await user();
    const [folder, a, b] = [id('fld'), id('itm'), id('itm')];
    await given(
      [
        `foldertree-${ann}`,
        'FolderCreated',
        { folderId: folder, ownerId: ann, name: 'Box', parentId: null },
        2,
      ],
      clip(a, ann),
      clip(b, ann),
      [`item-${a}`, 'ItemTrashed', { itemId: a, trashedAt: '2026-01-02T00:00:00.000Z', fromFolderId: null }],
      [`foldertree-${ann}`, 'FolderDeleted', { folderId: folder, deletedFolderIds: [folder] }],
      [`item-${a}`, 'ItemRestored', { itemId: a, toFolderId: folder }],
      [`item-${b}`, 'ItemTrashed', { itemId: b, trashedAt: '2026-01-02T00:00:00.000Z', fromFolderId: null }],
      [`item-${b}`, 'ItemRestored', { itemId: b, toFolderId: null }],
    );
    expect(await ask('item.get', ann, { item_id: a })).toMatchObject({ ok: false, code: 3000 });
    expect(await ask('item.get', ann, { item_id: b })).toMatchObject({
      ok: true,
      result: { folder_id: null },
    });
  });

  it('an item moved out of, or trashed from, a folder deleted just before is back, as for the commands', async () => {
    // folder.delete and an item.move or item.delete decided on the state
    // before it: the log has the deletion first, then the item's event.
    const ann = await user();
    const [doomed, kept, moved, trashed] = [id('fld'), id('fld'), id('itm'), id('itm')];
    await given(
      [
        `foldertree-${ann}`,
        'FolderCreated',
        { folderId: doomed, ownerId: ann, name: 'Doomed', parentId: null },
        2,
      ],
      [
        `foldertree-${ann}`,
        'FolderCreated',
        { folderId: kept, ownerId: ann, name: 'Kept', parentId: null },
        2,
      ],
      clip(moved, ann),
      clip(trashed, ann),
      [`item-${moved}`, 'ItemMoved', { itemId: moved, fromFolderId: null, toFolderId: doomed }],
      [`item-${trashed}`, 'ItemMoved', { itemId: trashed, fromFolderId: null, toFolderId: doomed }],
      [`foldertree-${ann}`, 'FolderDeleted', { folderId: doomed, deletedFolderIds: [doomed] }],
    );
    expect(await ask('item.get', ann, { item_id: moved })).toMatchObject({ ok: false, code: 3000 });
    expect(await ask('item.get_frames', ann, { item_id: trashed })).toMatchObject({ ok: false, code: 3000 });
    await given(
      [`item-${moved}`, 'ItemMoved', { itemId: moved, fromFolderId: doomed, toFolderId: kept }],
      [
        `item-${trashed}`,
        'ItemTrashed',
        { itemId: trashed, trashedAt: '2026-01-02T00:00:00.000Z', fromFolderId: doomed },
      ],
    );
    expect(await ask('item.get', ann, { item_id: moved })).toMatchObject({
      ok: true,
      result: { folder_id: kept },
    });
    expect(await ask('item.get_list', ann, { folder_id: kept })).toMatchObject({
      result: { items: [{ item_id: moved }], total: 1 },
    });
    expect(await ask('folder.get', ann, { folder_id: kept })).toMatchObject({ result: { item_count: 1 } });
    expect(await ask('item.get_frames', ann, { item_id: moved })).toMatchObject({ result: { total: 1 } });
    expect(await ask('trash.get_list', ann)).toMatchObject({
      result: { items: [{ item_id: trashed }], total: 1 },
    });
  });

  it('lists folders by the NFC, case-folded name in code-point order', async () => {
    const ann = await user();
    // The last one arrives decomposed (E + combining acute), as a client may send it.
    const names = ['Éclair', 'fable', 'Ångström', 'Berlin', 'E\u0301cole', 'ZEBRA'];
    await given(
      ...names.map(
        (name): Given => [
          `foldertree-${ann}`,
          'FolderCreated',
          { folderId: id('fld'), ownerId: ann, name, parentId: null },
          2,
        ],
      ),
    );
    const listed = await ask('folder.get_list', ann, { parent_id: 0 });
    expect(listed.ok && (listed.result.folders as { name: string }[]).map((f) => f.name)).toEqual([
      'Berlin',
      'fable',
      'ZEBRA',
      'Ångström',
      'Éclair',
      'E\u0301cole',
    ]);
  });

  it('a folder written at schema version 1 (top level as 0) is upcast and listed at the top level', async () => {
    const ann = await user();
    const folder = id('fld');
    await given([
      `foldertree-${ann}`,
      'FolderCreated',
      { folderId: folder, ownerId: ann, name: 'Old', parentId: 0 },
      1,
    ]);
    expect(await ask('folder.get', ann, { folder_id: folder })).toMatchObject({ result: { parent_id: 0 } });
    expect(await ask('folder.get_list', ann, { parent_id: 0 })).toMatchObject({
      result: { folders: [{ folder_id: folder, name: 'Old' }], total: 1 },
    });
  });

  it('a deletion naming only its folder takes every folder below it as the tree stood then', async () => {
    const ann = await user();
    const [top, middle, deep, movedOut, kept] = [id('fld'), id('fld'), id('fld'), id('fld'), id('fld')];
    const folder = (folderId: string, name: string, parentId: string | null): Given => [
      `foldertree-${ann}`,
      'FolderCreated',
      { folderId, ownerId: ann, name, parentId },
      2,
    ];
    await given(
      folder(top, 'Top', null),
      folder(middle, 'Middle', top),
      folder(deep, 'Deep', middle),
      folder(movedOut, 'Moved out', middle),
      folder(kept, 'Kept', null),
      [`foldertree-${ann}`, 'FolderMoved', { folderId: movedOut, parentId: kept }, 2],
      [`foldertree-${ann}`, 'FolderDeleted', { folderId: top }, 2],
    );
    for (const gone of [top, middle, deep])
      expect(await ask('folder.get', ann, { folder_id: gone })).toMatchObject({ ok: false, code: 4000 });
    expect(await ask('folder.get', ann, { folder_id: movedOut })).toMatchObject({
      ok: true,
      result: { parent_id: kept },
    });
    expect(await ask('folder.get_list', ann, { parent_id: 0 })).toMatchObject({
      result: { folders: [{ folder_id: kept }], total: 1 },
    });
  });
});

describe('networks', () => {
  const created = (networkId: string, ownerId: string, type = 'private') =>
    [
      `network-${networkId}`,
      'NetworkCreated',
      { networkId, ownerId, name: `n${networkId.slice(-4)}`, type, requiresCameras: false, description: '' },
    ] as const satisfies Given;

  it('joining by any route closes a pending request; removal revokes pending invitations', async () => {
    const [ann, ben] = [await user(), await user()];
    const net = id('net');
    const inv = id('inv');
    await given(
      created(net, ann),
      [`network-${net}`, 'NetworkJoinRequested', { networkId: net, userId: ben, cameras: ['cam_1'] }],
      [`network-${net}`, 'NetworkInvitationSent', { networkId: net, invitationId: inv, userId: ben }],
    );
    expect(await ask('network.get', ben, { network_id: net })).toMatchObject({
      result: { request_pending: true, invitation_id: inv, is_member: false },
    });
    await given([
      `network-${net}`,
      'NetworkJoinRequestApproved',
      { networkId: net, userId: ben, cameras: ['cam_1'] },
    ]);
    expect(await ask('network.get_requests', ann, { network_id: net })).toMatchObject({
      result: { total: 0 },
    });
    expect(await ask('network.get', ben, { network_id: net })).toMatchObject({
      result: { request_pending: false, invitation_id: inv, is_member: true, member_count: 2 },
    });
    await given([`network-${net}`, 'NetworkMemberRemoved', { networkId: net, userId: ben }]);
    expect(await ask('network.get', ben, { network_id: net })).toMatchObject({
      result: { invitation_id: null, is_member: false, member_count: 1 },
    });
  });

  it('events decided just before a network was deleted add nothing to it', async () => {
    const [ann, ben] = [await user(), await user()];
    const [net, thread] = [id('net'), id('thr')];
    await given(
      created(net, ann, 'public'),
      [
        `forumthread-${thread}`,
        'ForumThreadStarted',
        { threadId: thread, networkId: net, authorId: ann, subject: 's', body: 'b' },
      ],
      [`network-${net}`, 'NetworkDeleted', { networkId: net }],
      [`network-${net}`, 'NetworkJoined', { networkId: net, userId: ben, cameras: [] }],
      [
        `forumthread-${thread}`,
        'ForumReplyPosted',
        { threadId: thread, networkId: net, authorId: ben, body: 'late' },
      ],
    );
    expect(await ask('network.get', ben, { network_id: net })).toMatchObject({ ok: false, code: 5000 });
    expect(await ask('forum.get_thread', ben, { thread_id: thread })).toMatchObject({
      ok: false,
      code: 5200,
    });
    expect(await store.query('SELECT * FROM network_members WHERE network_id = $1', [net])).toEqual([]);
    expect(await store.query('SELECT * FROM forum_posts WHERE thread_id = $1', [thread])).toEqual([]);
  });
});

describe('accounts and cameras', () => {
  it('credits follow additions and live view sessions; a renamed camera takes its new place in the list', async () => {
    const ann = await user();
    const [c1, c2] = [id('cam'), id('cam')];
    await given(
      [`account-${ann}`, 'CreditsAdded', { credits: 5 }],
      [`account-${ann}`, 'LiveViewStarted', { sessionId: 'lvs_1', cameraId: c1, credits: 1 }],
      [
        `camera-${c1}`,
        'CameraRegistered',
        { cameraId: c1, ownerId: ann, label: 'alpha', liveViewCapable: true },
      ],
      [
        `camera-${c2}`,
        'CameraRegistered',
        { cameraId: c2, ownerId: ann, label: 'Beta', liveViewCapable: false },
      ],
      [`camera-${c1}`, 'CameraUpdated', { cameraId: c1, changes: { label: 'Zulu', isHidden: true } }],
    );
    expect(await ask('account.get', ann)).toMatchObject({ result: { credits: 4 } });
    const list = await ask('camera.get_list', ann);
    expect(list).toMatchObject({
      result: { cameras: [{ camera_id: c2 }, { camera_id: c1, label: 'Zulu', is_hidden: true }] },
    });
  });
});
