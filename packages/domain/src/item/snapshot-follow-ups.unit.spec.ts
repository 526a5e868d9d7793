import { specFor } from '@camledger/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '../kernel/index.ts';
import {
  alice,
  camera,
  clipId,
  frameId,
  frames,
  garden,
  recorded,
  shed,
  trashed,
  world,
} from '../testing/fixtures/item.ts';
import { defaultActor, generatedTestId, testId } from '../testing/index.ts';
import type { Frame, ItemEvent } from './events.ts';
import { itemSlice } from './index.ts';
import { itemAggregate } from './state.ts';

// The two internal follow-ups of snapshots: materialize_snapshot writes a
// snapshot's own stream from what its clip recorded, link_snapshot_copy tells
// a clip that a copy of one of its snapshots exists. Both trust only the
// clip's stream and the copy's stream, never the payload alone.

const given = specFor(itemSlice.commands);
const system = { actor: 'system' } as const;
const snapshotId = generatedTestId('itm', 900);
const secondSnapshotId = generatedTestId('itm', 901);
const copyId = generatedTestId('itm', 5, defaultActor);
const otherClipId = testId('itm', 7);
const now = '2026-01-01T00:00:00.000Z';

const frameOf = (identifier: string): Frame => {
  const frame = frames.find((f) => f.identifier === identifier);
  if (!frame) throw new Error(`no frame ${identifier} in the fixture clip`);
  return frame;
};

const taken = (folderId: string, identifier: string, snapshotItemId = snapshotId): ItemEvent => ({
  type: 'SnapshotTaken',
  data: { itemId: clipId, snapshotItemId, folderId, identifier, frame: frameOf(identifier) },
});

const created = (folderId: string, identifier: string, itemId = snapshotId): ItemEvent => ({
  type: 'SnapshotItemCreated',
  data: {
    itemId,
    clipItemId: clipId,
    identifier,
    ownerId: alice,
    cameraId: camera,
    folderId,
    isAlert: true,
    frame: frameOf(identifier),
  },
});

/** A copy (in `folderId`) of a snapshot of frame 2 of `fromClip`. */
const snapshotCopy = (folderId: string, fromClip = clipId): ItemEvent => ({
  type: 'ItemCopied',
  data: {
    itemId: copyId,
    copiedFromItemId: snapshotId,
    ownerId: alice,
    cameraId: camera,
    kind: 'snapshot',
    folderId,
    startDatetime: frameOf(frameId(2)).datetime,
    endDatetime: frameOf(frameId(2)).datetime,
    isAlert: true,
    frames: [frameOf(frameId(2))],
    label: '',
    note: '',
    flagged: false,
    snapshotOf: { clipItemId: fromClip, identifier: frameId(2) },
  },
});

const linked = (folderId: string): ItemEvent => ({
  type: 'SnapshotCopyLinked',
  data: { itemId: clipId, snapshotItemId: copyId, folderId, identifier: frameId(2) },
});

describe('item.materialize_snapshot', () => {
  const materialize = (item_id: string, clip_id = clipId) =>
    ['item.materialize_snapshot', { item_id, clip_id }, system] as const;

  it('writes the snapshot the clip recorded under that id, not the first one it knows', async () => {
    const history = world(taken(garden, frameId(2)), taken(shed, frameId(3), secondSnapshotId));
    await given(history)
      .when(...materialize(secondSnapshotId))
      .thenAccepts('Ok', {
        stream: `item-${secondSnapshotId}`,
        events: [created(shed, frameId(3), secondSnapshotId)],
        result: { item_id: secondSnapshotId },
      });
  });

  it('a repeat finds the stream written and answers with the snapshot id, writing nothing', async () => {
    await given({
      ...world(taken(garden, frameId(2))),
      [`item-${snapshotId}`]: [created(garden, frameId(2))],
    })
      .when(...materialize(snapshotId))
      .thenAccepts('Ok', { events: [], result: { item_id: snapshotId } });
  });

  it('a snapshot id the clip never recorded answers 3000 naming both ids', async () => {
    await given(world(taken(garden, frameId(2))))
      .when(...materialize(secondSnapshotId))
      .thenRejects('ItemNotFound', { item_id: secondSnapshotId, clip_id: clipId });
  });

  it('a malformed snapshot id answers 3000, it is never taken for an existing stream', async () => {
    await given(world(taken(garden, frameId(2))))
      .when(...materialize('nope'))
      .thenRejects('ItemNotFound', { item_id: 'nope' });
  });

  it('the snapshot rebuilt from its stream is one frame of the clip, in the folder chosen', async () => {
    const decision = await given(world(taken(garden, frameId(2)))).when(...materialize(snapshotId)).decision;
    if (!decision.ok || !decision.write) throw new Error('materialize_snapshot wrote nothing');
    const frame = frameOf(frameId(2));
    expect(fold(itemAggregate, decision.write.events as ItemEvent[])).toEqual(
      expect.objectContaining({
        status: 'live',
        itemId: snapshotId,
        ownerId: alice,
        kind: 'snapshot',
        folderId: garden,
        startDatetime: frame.datetime,
        endDatetime: frame.datetime,
        frames: [frame],
        snapshotOf: { clipItemId: clipId, identifier: frameId(2) },
      }),
    );
  });

  it('a copy of the written snapshot carries its one frame and where it came from', async () => {
    const history = {
      ...world(taken(garden, frameId(2))),
      [`item-${snapshotId}`]: [created(garden, frameId(2))],
    };
    await given(history)
      .when('item.copy', { item_id: snapshotId, folder_id: shed }, { firstNewId: 5 })
      .thenAccepts('ItemCopied', { stream: `item-${copyId}`, events: [snapshotCopy(shed)] });
  });
});

describe('item.link_snapshot_copy', () => {
  const link = ['item.link_snapshot_copy', { item_id: clipId, snapshot_item_id: copyId }, system] as const;
  const snapshotWritten = { [`item-${snapshotId}`]: [created(garden, frameId(2))] };

  it('links a copy of one of its snapshots to the clip', async () => {
    await given({
      ...world(taken(garden, frameId(2))),
      ...snapshotWritten,
      [`item-${copyId}`]: [snapshotCopy(shed)],
    })
      .when(...link)
      .thenAccepts('Ok', { stream: `item-${clipId}`, events: [linked(shed)] });
  });

  it('a copy thrown away before the follow-up ran is still linked, in no folder', async () => {
    const copy = [snapshotCopy(shed), trashed(now, shed, copyId)];
    await given({ ...world(taken(garden, frameId(2))), ...snapshotWritten, [`item-${copyId}`]: copy })
      .when(...link)
      .thenAccepts('Ok', { events: [linked('')] });
  });

  it('a copy that does not exist answers 3000 naming both ids', async () => {
    await given({ ...world(taken(garden, frameId(2))), ...snapshotWritten })
      .when(...link)
      .thenRejects('ItemNotFound', { item_id: clipId, snapshot_item_id: copyId });
  });

  it('a copy of a clip rather than of a snapshot answers 3000', async () => {
    const clipCopy = {
      ...snapshotCopy(shed),
      data: { ...snapshotCopy(shed).data, snapshotOf: null },
    } as ItemEvent;
    await given({ ...world(), [`item-${copyId}`]: [clipCopy] })
      .when(...link)
      .thenRejects('ItemNotFound', { item_id: clipId, snapshot_item_id: copyId });
  });

  it("a copy of another clip's snapshot answers 3000 to this clip", async () => {
    await given({
      ...world(taken(garden, frameId(2))),
      [`item-${otherClipId}`]: [recorded(otherClipId)],
      [`item-${copyId}`]: [snapshotCopy(shed, otherClipId)],
    })
      .when(...link)
      .thenRejects('ItemNotFound', { item_id: clipId });
  });

  it('a clip without a stream answers 3000 even when the copy names it', async () => {
    await given({ [`item-${copyId}`]: [snapshotCopy(shed)] })
      .when(...link)
      .thenRejects('ItemNotFound', { item_id: clipId, snapshot_item_id: copyId });
  });
});
