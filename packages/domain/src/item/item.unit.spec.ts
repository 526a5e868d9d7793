import { specFor } from '@camledger/testing';
import { describe, expect, it } from 'vitest';
import {
  alice,
  bob,
  bobsFolder,
  camera,
  cameraOf,
  clipId,
  folderCreated,
  folderDeleted,
  frameId,
  frames,
  garden,
  moved,
  recorded,
  shed,
  trashed,
  unknownFolder,
  world,
} from '../testing/fixtures/item.ts';
import { defaultActor, generatedTestId, testId } from '../testing/index.ts';
import { itemSlice } from './index.ts';

const given = specFor(itemSlice.commands);
const system = { actor: 'system' } as const;
const asBob = { actor: bob } as const;
/** The first id a command of Alice's (the default actor) generates. */
const newItem = generatedTestId('itm', 900, defaultActor);
const recordedBySystem = generatedTestId('itm', 900, 'system');
const now = '2026-01-01T00:00:00.000Z';
const day = 24 * 60 * 60 * 1000;

const recordPayload = {
  item_id: clipId,
  camera_id: camera,
  start_datetime: '2026-01-01 00:00:00',
  end_datetime: '2026-01-01 00:00:10',
  is_alert: 1,
  frames: [
    { identifier: frameId(1), datetime: '2026-01-01 00:00:01', milliseconds: 100 },
    { identifier: frameId(2), datetime: '2026-01-01T00:00:02Z', milliseconds: '200' },
    { identifier: frameId(3), datetime: '2026-01-01 00:00:03' },
  ],
};

describe('item.record (camera ingest)', () => {
  it('a clip of a known camera lands in its owner inbox (10000 + item_id)', async () => {
    await given(cameraOf(alice))
      .when('item.record', recordPayload, system)
      .thenAccepts('Ok', { stream: `item-${clipId}`, events: [recorded()], result: { item_id: clipId } });
  });

  it('without an item id the clip gets a new one', async () => {
    const { item_id: _, ...payload } = recordPayload;
    await given(cameraOf(alice))
      .when('item.record', payload, system)
      .thenAccepts('Ok', {
        stream: `item-${recordedBySystem}`,
        result: { item_id: recordedBySystem },
        events: [recorded(recordedBySystem)],
      });
  });

  it('the same upload again answers 10000 and records nothing new', async () => {
    await given(world())
      .when('item.record', recordPayload, system)
      .thenAccepts('Ok', { result: { item_id: clipId } });
  });

  it('an item id already used by another camera answers 128', async () => {
    await given({ ...world(), ...cameraOf(alice, testId('cam', 2)) })
      .when('item.record', { ...recordPayload, camera_id: testId('cam', 2) }, system)
      .thenRejects('MissingParameter', { param: 'item_id' });
  });

  it('an unknown camera answers 2000', async () => {
    await given()
      .when('item.record', recordPayload, system)
      .thenRejects('CameraNotFound', { camera_id: camera });
  });

  it('a malformed camera id answers 2000', async () => {
    await given(cameraOf(alice))
      .when('item.record', { ...recordPayload, camera_id: 'porch' }, system)
      .thenRejects('CameraNotFound');
  });

  it('a deleted camera answers 2000', async () => {
    const history = cameraOf(alice);
    const events = [
      ...(history[`camera-${camera}`] ?? []),
      { type: 'CameraDeleted', data: { cameraId: camera } },
    ];
    await given({ [`camera-${camera}`]: events })
      .when('item.record', recordPayload, system)
      .thenRejects('CameraNotFound');
  });

  it('a clip ending before it starts answers 128 naming end_datetime, before 2000', async () => {
    await given()
      .when('item.record', { ...recordPayload, end_datetime: '2025-12-31 23:59:59' }, system)
      .thenRejects('MissingParameter', { param: 'end_datetime' });
  });

  it('a clip of one instant (end at its start) is accepted; one millisecond earlier answers 128', async () => {
    const instant = { ...recordPayload, end_datetime: recordPayload.start_datetime };
    const event = recorded();
    await given(cameraOf(alice))
      .when('item.record', instant, system)
      .thenAccepts('Ok', {
        events: [{ ...event, data: { ...event.data, endDatetime: '2026-01-01T00:00:00.000Z' } }],
      });
    await given(cameraOf(alice))
      .when('item.record', { ...instant, start_datetime: '2026-01-01T00:00:00.001Z' }, system)
      .thenRejects('MissingParameter', { param: 'end_datetime' });
  });

  it('a frame identifier repeated in the clip answers 128', async () => {
    const frame = { identifier: frameId(1), datetime: '2026-01-01 00:00:01' };
    await given(cameraOf(alice))
      .when('item.record', { ...recordPayload, frames: [frame, frame] }, system)
      .thenRejects('MissingParameter', { param: 'frames.1.identifier' });
  });

  it('a missing camera id answers 128', async () => {
    const { camera_id: _, ...payload } = recordPayload;
    await given()
      .when('item.record', payload, system)
      .thenRejects('MissingParameter', { param: 'camera_id' });
  });

  it('a malformed start date-time answers 128', async () => {
    await given()
      .when('item.record', { ...recordPayload, start_datetime: '01/01/2026' }, system)
      .thenRejects('MissingParameter', { param: 'start_datetime' });
  });

  it('is_alert other than 0/1 answers 136 or 152', async () => {
    await given()
      .when('item.record', { ...recordPayload, is_alert: 'yes' }, system)
      .thenRejects('NotAnInteger', { param: 'is_alert' });
    await given()
      .when('item.record', { ...recordPayload, is_alert: 2 }, system)
      .thenRejects('IntegerTooBig', { param: 'is_alert' });
  });

  it('milliseconds of 1000 answers 152', async () => {
    const frame = { identifier: frameId(1), datetime: '2026-01-01 00:00:01', milliseconds: 1000 };
    await given()
      .when('item.record', { ...recordPayload, frames: [frame] }, system)
      .thenRejects('IntegerTooBig', { param: 'frames.0.milliseconds' });
  });

  it('a frame identifier shorter than 27 answers 192, longer than 64 answers 200', async () => {
    await given()
      .when('item.record', { ...recordPayload, frames: [{ identifier: 'short', datetime: now }] }, system)
      .thenRejects('StringTooShort', { param: 'frames.0.identifier', limit: 27 });
    await given()
      .when(
        'item.record',
        { ...recordPayload, frames: [{ identifier: 'x'.repeat(65), datetime: now }] },
        system,
      )
      .thenRejects('StringTooLong', { param: 'frames.0.identifier', limit: 64 });
  });

  it('a clip without frames answers 192, one of more than 10000 frames 200', async () => {
    await given()
      .when('item.record', { ...recordPayload, frames: [] }, system)
      .thenRejects('StringTooShort', { param: 'frames', limit: 1 });
    const many = Array.from({ length: 10001 }, (_, n) => ({ identifier: frameId(n), datetime: now }));
    await given()
      .when('item.record', { ...recordPayload, frames: many }, system)
      .thenRejects('StringTooLong', { param: 'frames', limit: 10000 });
  });
});

describe('item.update', () => {
  it('the owner labels and annotates an item (13000)', async () => {
    await given(world())
      .when('item.update', { item_id: clipId, label: 'Fox', note: 'at night' })
      .thenAccepts('ItemUpdated', {
        stream: `item-${clipId}`,
        events: [{ type: 'ItemUpdated', data: { itemId: clipId, label: 'Fox', note: 'at night' } }],
      });
  });

  it('only the fields that change are recorded; no change writes nothing', async () => {
    const labelled = { type: 'ItemUpdated', data: { itemId: clipId, label: 'Fox' } } as const;
    await given(world(labelled))
      .when('item.update', { item_id: clipId, label: 'Fox', note: '' })
      .thenAccepts('ItemUpdated', { events: [] });
  });

  it('nothing sent changes nothing: 13000 and no event', async () => {
    await given(world(moved(garden)))
      .when('item.update', { item_id: clipId })
      .thenAccepts('ItemUpdated', { events: [] });
  });

  it('an unknown item answers 3000', async () => {
    await given(world())
      .when('item.update', { item_id: testId('itm', 2), label: 'x' })
      .thenRejects('ItemNotFound', { item_id: testId('itm', 2) });
  });

  it('a malformed item id answers 3000, naming the id as sent', async () => {
    await given(world())
      .when('item.update', { item_id: 'nope', label: 'x' })
      .thenRejects('ItemNotFound', { item_id: 'nope' });
  });

  it("another user's item answers 3002 naming it", async () => {
    await given(world())
      .when('item.update', { item_id: clipId, label: 'x' }, asBob)
      .thenRejects('NotItemOwner', { item_id: clipId });
  });

  it('an item in the trash answers 3000 to its owner', async () => {
    await given(world(trashed(now)))
      .when('item.update', { item_id: clipId, label: 'x' })
      .thenRejects('ItemNotFound', { in_trash: true });
  });

  it("an item in another user's trash answers 3002, telling nothing of the trash", async () => {
    await given(world(trashed(now)))
      .when('item.update', { item_id: clipId, label: 'x' }, asBob)
      .thenRejects('NotItemOwner');
  });

  it('an item whose folder was deleted is gone: 3000, also to another user', async () => {
    const history = world(moved(garden));
    const gone = {
      ...history,
      [`foldertree-${alice}`]: [...(history[`foldertree-${alice}`] ?? []), folderDeleted(garden)],
    };
    await given(gone).when('item.update', { item_id: clipId, label: 'x' }).thenRejects('ItemNotFound');
    await given(gone).when('item.update', { item_id: clipId, label: 'x' }, asBob).thenRejects('ItemNotFound');
  });

  it('an item in a subfolder of a deleted folder is gone too (3000)', async () => {
    const sub = testId('fld', 4);
    const history = world(moved(sub));
    const tree = [...(history[`foldertree-${alice}`] ?? []), folderCreated(alice, sub, 'Sub', garden)];
    await given({ ...history, [`foldertree-${alice}`]: [...tree, folderDeleted(garden)] })
      .when('item.update', { item_id: clipId, label: 'x' })
      .thenRejects('ItemNotFound');
  });

  it('a label longer than 64 answers 200', async () => {
    await given(world())
      .when('item.update', { item_id: clipId, label: 'x'.repeat(65) })
      .thenRejects('StringTooLong', { param: 'label', limit: 64 });
  });

  it('a missing item id answers 128', async () => {
    await given(world())
      .when('item.update', { label: 'x' })
      .thenRejects('MissingParameter', { param: 'item_id' });
  });
});

describe('item.set_flag', () => {
  it('the owner flags an item (13001)', async () => {
    await given(world())
      .when('item.set_flag', { item_id: clipId, flagged: 1 })
      .thenAccepts('ItemFlagSet', {
        events: [{ type: 'ItemFlagSet', data: { itemId: clipId, flagged: true } }],
      });
  });

  it('setting the flag it already has writes nothing (13001)', async () => {
    await given(world()).when('item.set_flag', { item_id: clipId, flagged: 0 }).thenAccepts('ItemFlagSet');
  });

  it('an unknown item answers 3000', async () => {
    await given(world())
      .when('item.set_flag', { item_id: testId('itm', 2), flagged: 1 })
      .thenRejects('ItemNotFound');
  });

  it("another user's item answers 3002", async () => {
    await given(world())
      .when('item.set_flag', { item_id: clipId, flagged: 1 }, asBob)
      .thenRejects('NotItemOwner');
  });

  it('a flag of -1 answers 144', async () => {
    await given(world())
      .when('item.set_flag', { item_id: clipId, flagged: -1 })
      .thenRejects('IntegerTooSmall', { param: 'flagged' });
  });
});

describe('item.move', () => {
  it('the owner files an inbox item into a folder (13002)', async () => {
    await given(world())
      .when('item.move', { item_id: clipId, folder_id: garden })
      .thenAccepts('ItemMoved', { stream: `item-${clipId}`, events: [moved(garden)] });
  });

  it('from one folder to another', async () => {
    await given(world(moved(garden)))
      .when('item.move', { item_id: clipId, folder_id: shed })
      .thenAccepts('ItemMoved', { events: [moved(shed, garden)] });
  });

  it('into the folder it is already in answers 3003', async () => {
    await given(world(moved(garden)))
      .when('item.move', { item_id: clipId, folder_id: garden })
      .thenRejects('ItemAlreadyInFolder', { folder_id: garden });
  });

  it('into an unknown folder answers 3005', async () => {
    await given(world())
      .when('item.move', { item_id: clipId, folder_id: unknownFolder })
      .thenRejects('TargetFolderMissing', { folder_id: unknownFolder });
  });

  it('into a malformed folder id answers 3005', async () => {
    await given(world())
      .when('item.move', { item_id: clipId, folder_id: '0' })
      .thenRejects('TargetFolderMissing');
  });

  it('into a deleted folder of its own answers 3005', async () => {
    const history = world();
    await given({
      ...history,
      [`foldertree-${alice}`]: [...(history[`foldertree-${alice}`] ?? []), folderDeleted(shed)],
    })
      .when('item.move', { item_id: clipId, folder_id: shed })
      .thenRejects('TargetFolderMissing');
  });

  it("into another user's folder answers 3004", async () => {
    await given(world())
      .when('item.move', { item_id: clipId, folder_id: bobsFolder })
      .thenRejects('FolderNotUsers', { folder_id: bobsFolder });
  });

  it("into another user's deleted folder answers 3005, as if it never was", async () => {
    await given({
      ...world(),
      [`foldertree-${bob}`]: [folderCreated(bob, bobsFolder, 'Bobs'), folderDeleted(bobsFolder)],
    })
      .when('item.move', { item_id: clipId, folder_id: bobsFolder })
      .thenRejects('TargetFolderMissing');
  });

  it('3000 comes before everything: an unknown item into an unknown folder', async () => {
    await given(world())
      .when('item.move', { item_id: testId('itm', 2), folder_id: unknownFolder })
      .thenRejects('ItemNotFound');
  });

  it("3002 comes before the folder checks: another user's item into their own folder", async () => {
    await given(world())
      .when('item.move', { item_id: clipId, folder_id: bobsFolder }, asBob)
      .thenRejects('NotItemOwner');
  });

  it('an item in the trash answers 3000', async () => {
    await given(world(trashed(now)))
      .when('item.move', { item_id: clipId, folder_id: garden })
      .thenRejects('ItemNotFound');
  });
});

describe('item.copy', () => {
  const copiedTo = (folderId: string) => ({
    type: 'ItemCopied',
    data: {
      itemId: newItem,
      copiedFromItemId: clipId,
      ownerId: alice,
      cameraId: camera,
      kind: 'clip',
      folderId,
      startDatetime: '2026-01-01T00:00:00.000Z',
      endDatetime: '2026-01-01T00:00:10.000Z',
      isAlert: true,
      frames,
      label: '',
      note: '',
      flagged: false,
      snapshotOf: null,
    },
  });

  it('the owner copies an item into a folder: a new item with its own stream (13003 + item_id)', async () => {
    await given(world())
      .when('item.copy', { item_id: clipId, folder_id: garden })
      .thenAccepts('ItemCopied', {
        stream: `item-${newItem}`,
        events: [copiedTo(garden)],
        result: { item_id: newItem },
      });
  });

  it('a retry that finds its copy already made answers 13003 with it and writes nothing', async () => {
    await given({ ...world(), [`item-${newItem}`]: [copiedTo(garden)] as never })
      .when('item.copy', { item_id: clipId, folder_id: garden })
      .thenAccepts('ItemCopied', { result: { item_id: newItem } });
  });

  it('an item the derived id names that is no copy of this one is 128, not answered as the copy', async () => {
    const other = copiedTo(garden);
    const ofAnother = { ...other, data: { ...other.data, copiedFromItemId: testId('itm', 7) } };
    await given({ ...world(), [`item-${newItem}`]: [ofAnother] as never })
      .when('item.copy', { item_id: clipId, folder_id: garden })
      .thenRejects('MissingParameter', { param: 'command_id' });
  });

  it('into the folder it is in answers 3003 naming the item and the folder', async () => {
    await given(world(moved(garden)))
      .when('item.copy', { item_id: clipId, folder_id: garden })
      .thenRejects('ItemAlreadyInFolder', { item_id: clipId, folder_id: garden });
  });

  it('an unknown item answers 3000', async () => {
    await given(world())
      .when('item.copy', { item_id: testId('itm', 2), folder_id: garden })
      .thenRejects('ItemNotFound');
  });

  it("another user's item answers 3002", async () => {
    await given(world())
      .when('item.copy', { item_id: clipId, folder_id: bobsFolder }, asBob)
      .thenRejects('NotItemOwner');
  });

  it('into an unknown folder answers 3005', async () => {
    await given(world())
      .when('item.copy', { item_id: clipId, folder_id: unknownFolder })
      .thenRejects('TargetFolderMissing');
  });

  it("into another user's folder answers 3004", async () => {
    await given(world())
      .when('item.copy', { item_id: clipId, folder_id: bobsFolder })
      .thenRejects('FolderNotUsers');
  });

  it('a copy of a snapshot asks its clip to know of it', () => {
    const copy = {
      ...copiedTo(shed),
      data: {
        ...copiedTo(shed).data,
        kind: 'snapshot',
        snapshotOf: { clipItemId: clipId, identifier: frameId(1) },
      },
    };
    const stored = { ...copy, stream: `item-${newItem}`, revision: 0, metadata: {} as never };
    expect(itemSlice.reactors?.ItemCopied?.(stored)).toEqual([
      { command: 'item.link_snapshot_copy', payload: { item_id: clipId, snapshot_item_id: newItem } },
    ]);
    expect(
      itemSlice.reactors?.ItemCopied?.({
        ...copiedTo(shed),
        stream: 'x',
        revision: 0,
        metadata: {} as never,
      }),
    ).toEqual([]);
  });
});

describe('item.save_snapshot', () => {
  const snapshotId = newItem;
  const taken = (folderId: string, identifier = frameId(2), snapshotItemId = snapshotId) => ({
    type: 'SnapshotTaken' as const,
    data: {
      itemId: clipId,
      snapshotItemId,
      folderId,
      identifier,
      frame: frames.find((f) => f.identifier === identifier)!,
    },
  });
  const created = (folderId: string, itemId = snapshotId) => ({
    type: 'SnapshotItemCreated',
    data: {
      itemId,
      clipItemId: clipId,
      identifier: frameId(2),
      ownerId: alice,
      cameraId: camera,
      folderId,
      isAlert: true,
      frame: frames[1],
    },
  });
  const payload = { item_id: clipId, folder_id: garden, identifier: frameId(2) };

  it('the owner saves a frame into a folder: recorded on the clip (13200 + item_id)', async () => {
    await given(world())
      .when('item.save_snapshot', payload)
      .thenAccepts('SnapshotSaved', {
        stream: `item-${clipId}`,
        events: [taken(garden)],
        result: { item_id: snapshotId },
      });
  });

  it("the clip's record asks for the snapshot's own stream, which the follow-up writes once", async () => {
    const stored = { ...taken(garden), stream: `item-${clipId}`, revision: 1, metadata: {} as never };
    const followUps = itemSlice.reactors?.SnapshotTaken?.(stored);
    expect(followUps).toEqual([
      { command: 'item.materialize_snapshot', payload: { item_id: snapshotId, clip_id: clipId } },
    ]);
    await given(world(taken(garden)))
      .when('item.materialize_snapshot', { item_id: snapshotId, clip_id: clipId }, system)
      .thenAccepts('Ok', {
        stream: `item-${snapshotId}`,
        events: [created(garden)],
        result: { item_id: snapshotId },
      });
    await given({ ...world(taken(garden)), [`item-${snapshotId}`]: [created(garden)] as never })
      .when('item.materialize_snapshot', { item_id: snapshotId, clip_id: clipId }, system)
      .thenAccepts('Ok', { events: [] });
  });

  it('materializing a snapshot the clip never took answers 3000', async () => {
    await given(world())
      .when('item.materialize_snapshot', { item_id: snapshotId, clip_id: clipId }, system)
      .thenRejects('ItemNotFound');
  });

  it('the same frame into the same folder again answers 13201 with the existing snapshot and writes nothing', async () => {
    await given({ ...world(taken(garden)), [`item-${snapshotId}`]: [created(garden)] as never })
      .when('item.save_snapshot', payload, { firstNewId: 950 })
      .thenAccepts('SnapshotAlreadySaved', { events: [], result: { item_id: snapshotId } });
  });

  it('also while the snapshot stream is still being written (13201)', async () => {
    await given(world(taken(garden)))
      .when('item.save_snapshot', payload, { firstNewId: 950 })
      .thenAccepts('SnapshotAlreadySaved', { result: { item_id: snapshotId } });
  });

  it('a snapshot moved into the folder counts; one moved away does not', async () => {
    const into = {
      ...world(taken(shed)),
      [`item-${snapshotId}`]: [created(shed), moved(garden, shed, snapshotId)] as never,
    };
    await given(into)
      .when('item.save_snapshot', payload)
      .thenAccepts('SnapshotAlreadySaved', { result: { item_id: snapshotId } });
    const away = {
      ...world(taken(garden)),
      [`item-${snapshotId}`]: [created(garden), moved(shed, garden, snapshotId)] as never,
    };
    await given(away)
      .when('item.save_snapshot', payload, { firstNewId: 950 })
      .thenAccepts('SnapshotSaved', {
        events: [taken(garden, frameId(2), generatedTestId('itm', 950))],
        result: { item_id: generatedTestId('itm', 950) },
      });
  });

  it('a snapshot in the trash does not count: a new one is saved (13200)', async () => {
    const history = {
      ...world(taken(garden)),
      [`item-${snapshotId}`]: [created(garden), trashed(now, garden, snapshotId)] as never,
    };
    await given(history)
      .when('item.save_snapshot', payload, { firstNewId: 950 })
      .thenAccepts('SnapshotSaved', { events: [taken(garden, frameId(2), generatedTestId('itm', 950))] });
  });

  it('the same frame into another folder is a new snapshot (13200)', async () => {
    await given({ ...world(taken(shed)), [`item-${snapshotId}`]: [created(shed)] as never })
      .when('item.save_snapshot', payload, { firstNewId: 950 })
      .thenAccepts('SnapshotSaved', {
        events: [taken(garden, frameId(2), generatedTestId('itm', 950))],
        result: { item_id: generatedTestId('itm', 950) },
      });
  });

  it('a snapshot of another frame in the folder does not count (13200)', async () => {
    const other = testId('itm', 800);
    await given({
      ...world(taken(garden, frameId(1), other)),
      [`item-${other}`]: [
        {
          ...created(garden, other),
          data: { ...created(garden, other).data, identifier: frameId(1), frame: frames[0] },
        },
      ] as never,
    })
      .when('item.save_snapshot', payload)
      .thenAccepts('SnapshotSaved', { events: [taken(garden)], result: { item_id: snapshotId } });
  });

  it('a snapshot still being written into another folder does not count there (13200)', async () => {
    await given(world(taken(shed)))
      .when('item.save_snapshot', payload, { firstNewId: 950 })
      .thenAccepts('SnapshotSaved', {
        events: [taken(garden, frameId(2), generatedTestId('itm', 950))],
        result: { item_id: generatedTestId('itm', 950) },
      });
  });

  it('a copy of a snapshot linked to its clip counts in its folder (13201)', async () => {
    const copyId = testId('itm', 5);
    const linked = {
      type: 'SnapshotCopyLinked' as const,
      data: { itemId: clipId, snapshotItemId: copyId, folderId: garden, identifier: frameId(2) },
    };
    const copy = {
      type: 'ItemCopied',
      data: {
        ...created(garden).data,
        itemId: copyId,
        copiedFromItemId: snapshotId,
        kind: 'snapshot',
        label: '',
        note: '',
        flagged: false,
        snapshotOf: { clipItemId: clipId, identifier: frameId(2) },
        startDatetime: frames[1]?.datetime,
        endDatetime: frames[1]?.datetime,
        frames: [frames[1]],
      },
    };
    const history = {
      ...world(taken(shed), linked),
      [`item-${snapshotId}`]: [created(shed)] as never,
      [`item-${copyId}`]: [copy] as never,
    };
    await given(history)
      .when('item.save_snapshot', payload)
      .thenAccepts('SnapshotAlreadySaved', { result: { item_id: copyId } });
    // The link is made once: a repeat of the follow-up writes nothing.
    await given(history)
      .when('item.link_snapshot_copy', { item_id: clipId, snapshot_item_id: copyId }, system)
      .thenAccepts('Ok', { events: [] });
    const { [`item-${clipId}`]: _, ...rest } = history;
    await given({ ...rest, [`item-${clipId}`]: [recorded(), taken(shed)] })
      .when('item.link_snapshot_copy', { item_id: clipId, snapshot_item_id: copyId }, system)
      .thenAccepts('Ok', { events: [linked] });
  });

  it('an unknown clip answers 3000', async () => {
    await given(world())
      .when('item.save_snapshot', { ...payload, item_id: testId('itm', 2) })
      .thenRejects('ItemNotFound');
  });

  it("another user's clip answers 3002", async () => {
    await given(world())
      .when('item.save_snapshot', { ...payload, folder_id: bobsFolder }, asBob)
      .thenRejects('NotItemOwner');
  });

  it('into an unknown folder answers 3005', async () => {
    await given(world())
      .when('item.save_snapshot', { ...payload, folder_id: unknownFolder })
      .thenRejects('TargetFolderMissing');
  });

  it("into another user's folder answers 3004", async () => {
    await given(world())
      .when('item.save_snapshot', { ...payload, folder_id: bobsFolder })
      .thenRejects('FolderNotUsers');
  });

  it('from a snapshot answers 3006', async () => {
    await given({ ...world(taken(garden)), [`item-${snapshotId}`]: [created(garden)] as never })
      .when('item.save_snapshot', { ...payload, item_id: snapshotId, folder_id: shed })
      .thenRejects('AlreadySnapshot', { item_id: snapshotId });
  });

  it('a frame the clip does not have answers 3007', async () => {
    await given(world())
      .when('item.save_snapshot', { ...payload, identifier: frameId(9) })
      .thenRejects('IdentifierNotInClip', { identifier: frameId(9) });
  });

  it('3005 comes before 3007: an unknown folder and an unknown frame', async () => {
    await given(world())
      .when('item.save_snapshot', { ...payload, folder_id: unknownFolder, identifier: frameId(9) })
      .thenRejects('TargetFolderMissing');
  });

  it('an identifier shorter than 27 answers 192', async () => {
    await given(world())
      .when('item.save_snapshot', { ...payload, identifier: 'f1' })
      .thenRejects('StringTooShort', { param: 'identifier' });
  });
});

describe('item.delete (the trash)', () => {
  it('deleting an item throws it into the trash, out of its folder (13101)', async () => {
    await given(world(moved(garden)))
      .when('item.delete', { item_id: clipId }, { now })
      .thenAccepts('ItemMovedToTrash', { events: [trashed(now, garden)] });
  });

  it('deleting an item in the trash deletes it for good (13100)', async () => {
    await given(world(trashed(now)))
      .when('item.delete', { item_id: clipId })
      .thenAccepts('ItemDeletedForGood', { events: [{ type: 'ItemPurged', data: { itemId: clipId } }] });
  });

  it('also after the trash window closed (13100)', async () => {
    await given(world(trashed(now)))
      .when('item.delete', { item_id: clipId }, { now: '2027-01-01T00:00:00.000Z' })
      .thenAccepts('ItemDeletedForGood', { events: [{ type: 'ItemPurged', data: { itemId: clipId } }] });
  });

  it('an item deleted for good answers 3000', async () => {
    await given(world(trashed(now), { type: 'ItemPurged', data: { itemId: clipId } }))
      .when('item.delete', { item_id: clipId })
      .thenRejects('ItemNotFound');
  });

  it("another user's item answers 3002, in their trash or not", async () => {
    await given(world()).when('item.delete', { item_id: clipId }, asBob).thenRejects('NotItemOwner');
    await given(world(trashed(now)))
      .when('item.delete', { item_id: clipId }, asBob)
      .thenRejects('NotItemOwner');
  });

  it('a trashed item survives the deletion of the folder it left', async () => {
    const history = world(moved(garden), trashed(now, garden));
    await given({
      ...history,
      [`foldertree-${alice}`]: [...(history[`foldertree-${alice}`] ?? []), folderDeleted(garden)],
    })
      .when('item.delete', { item_id: clipId })
      .thenAccepts('ItemDeletedForGood', { events: [{ type: 'ItemPurged', data: { itemId: clipId } }] });
  });
});

describe('item.restore', () => {
  const trashedAt = '2026-01-01T00:00:00.000Z';
  const restored = (toFolderId: string | null) => ({
    type: 'ItemRestored',
    data: { itemId: clipId, toFolderId },
  });

  it('restoring within the window puts the item back into its folder (10000)', async () => {
    await given(world(moved(garden), trashed(trashedAt, garden)))
      .when('item.restore', { item_id: clipId }, { now: '2026-01-02T00:00:00.000Z' })
      .thenAccepts('Ok', { events: [restored(garden)], result: { item_id: clipId } });
  });

  it('an item thrown away from the inbox goes back to the inbox', async () => {
    await given(world(trashed(trashedAt)))
      .when('item.restore', { item_id: clipId }, { now: '2026-01-02T00:00:00.000Z' })
      .thenAccepts('Ok', { events: [restored(null)] });
  });

  it('when its folder is gone meanwhile, it goes to the inbox', async () => {
    const history = world(moved(garden), trashed(trashedAt, garden));
    await given({
      ...history,
      [`foldertree-${alice}`]: [...(history[`foldertree-${alice}`] ?? []), folderDeleted(garden)],
    })
      .when('item.restore', { item_id: clipId }, { now: '2026-01-02T00:00:00.000Z' })
      .thenAccepts('Ok', { events: [restored(null)] });
  });

  it('restoring one millisecond before the window closes is accepted', async () => {
    await given(world(trashed(trashedAt)))
      .when('item.restore', { item_id: clipId }, { now: new Date(Date.parse(trashedAt) + 30 * day - 1) })
      .thenAccepts('Ok', { events: [restored(null)] });
  });

  it('restoring at the instant the window closes answers 3008', async () => {
    await given(world(trashed(trashedAt)))
      .when('item.restore', { item_id: clipId }, { now: new Date(Date.parse(trashedAt) + 30 * day) })
      .thenRejects('TrashWindowClosed', { restorable_until: '2026-01-31T00:00:00.000Z' });
  });

  it('the window is configuration', async () => {
    await given(world(trashed(trashedAt)))
      .when(
        'item.restore',
        { item_id: clipId },
        { now: '2026-01-01T00:00:02.000Z', config: { trashRetentionMs: 2000 } },
      )
      .thenRejects('TrashWindowClosed');
  });

  it('an item not in the trash answers 3000', async () => {
    await given(world())
      .when('item.restore', { item_id: clipId })
      .thenRejects('ItemNotFound', { reason: 'not in the trash' });
  });

  it('an item deleted for good answers 3000', async () => {
    await given(world(trashed(trashedAt), { type: 'ItemPurged', data: { itemId: clipId } }))
      .when('item.restore', { item_id: clipId })
      .thenRejects('ItemNotFound');
  });

  it('an unknown item answers 3000', async () => {
    await given(world())
      .when('item.restore', { item_id: testId('itm', 2) })
      .thenRejects('ItemNotFound');
  });

  it("another user's trashed item answers 3002, even after the window", async () => {
    await given(world(trashed(trashedAt)))
      .when('item.restore', { item_id: clipId }, { actor: bob, now: '2027-01-01T00:00:00.000Z' })
      .thenRejects('NotItemOwner');
  });
});

describe('item slice', () => {
  it('every event type has a schema version and the follow-up commands are internal', () => {
    const names = itemSlice.commands.map((c) => `${c.name}:${c.internal}`);
    expect(names).toEqual([
      'item.record:true',
      'item.update:false',
      'item.set_flag:false',
      'item.move:false',
      'item.copy:false',
      'item.save_snapshot:false',
      'item.delete:false',
      'item.restore:false',
      'item.materialize_snapshot:true',
      'item.link_snapshot_copy:true',
    ]);
  });
});
