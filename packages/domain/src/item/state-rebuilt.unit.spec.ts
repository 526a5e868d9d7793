import { specFor } from '@camledger/testing';
import { describe, expect, it } from 'vitest';
import { type SuccessName, successes } from '../codes/index.ts';
import { type DomainEvent, fold } from '../kernel/index.ts';
import {
  alice,
  camera,
  clipId,
  folderDeleted,
  frames,
  garden,
  moved,
  trashed,
  world,
} from '../testing/fixtures/item.ts';
import type { TestContextOptions } from '../testing/index.ts';
import type { ItemEvent } from './events.ts';
import { itemSlice } from './index.ts';
import { itemAggregate } from './state.ts';

// The events a command emits must rebuild the state the command promised:
// each case folds the clip's history plus the emitted events with the
// aggregate and compares the result with fields written out by hand (the
// oracle), so an `evolve` that ignores an event (ItemFlagSet, ItemRestored, …)
// fails here even when the emitted events are right.

const given = specFor(itemSlice.commands);
const clipStream = `item-${clipId}`;
const trashedAt = '2026-01-01T00:00:00.000Z';
const later = { now: '2026-01-02T00:00:00.000Z' };

async function stateAfter(
  history: Record<string, readonly DomainEvent[]>,
  success: SuccessName,
  command: string,
  payload: unknown,
  options: TestContextOptions = {},
) {
  const decision = await given(history).when(command, payload, options).decision;
  expect(decision).toMatchObject({ ok: true, code: successes[success].code });
  if (!decision.ok || !decision.write) throw new Error(`${command} appended nothing`);
  expect(decision.write.stream).toBe(clipStream);
  const events = [...(history[clipStream] ?? []), ...decision.write.events] as ItemEvent[];
  return fold(itemAggregate, events);
}

/** The recorded clip as the oracle sees it: in Alice's inbox, unflagged. */
const clip = {
  status: 'live',
  itemId: clipId,
  ownerId: alice,
  cameraId: camera,
  kind: 'clip',
  folderId: null,
  label: '',
  note: '',
  flagged: false,
  trash: null,
  frames,
};
const withFlag = { type: 'ItemFlagSet', data: { itemId: clipId, flagged: true } } as ItemEvent;

describe('the state the emitted events rebuild', () => {
  it('set_flag 1 flags the clip, and only that', async () => {
    expect(
      await stateAfter(world(), 'ItemFlagSet', 'item.set_flag', { item_id: clipId, flagged: 1 }),
    ).toEqual(expect.objectContaining({ ...clip, flagged: true }));
  });

  it('set_flag 0 on a flagged clip unflags it', async () => {
    expect(
      await stateAfter(world(withFlag), 'ItemFlagSet', 'item.set_flag', { item_id: clipId, flagged: 0 }),
    ).toEqual(expect.objectContaining(clip));
  });

  it('update sets the label and the note', async () => {
    const payload = { item_id: clipId, label: 'Fox', note: 'at night' };
    expect(await stateAfter(world(), 'ItemUpdated', 'item.update', payload)).toEqual(
      expect.objectContaining({ ...clip, label: 'Fox', note: 'at night' }),
    );
  });

  it('move puts the clip into the folder', async () => {
    expect(
      await stateAfter(world(), 'ItemMoved', 'item.move', { item_id: clipId, folder_id: garden }),
    ).toEqual(expect.objectContaining({ ...clip, folderId: garden }));
  });

  it('delete from a folder puts the clip in the trash, remembering the folder', async () => {
    const state = await stateAfter(
      world(moved(garden)),
      'ItemMovedToTrash',
      'item.delete',
      { item_id: clipId },
      later,
    );
    expect(state).toEqual(
      expect.objectContaining({
        ...clip,
        status: 'trashed',
        folderId: null,
        trash: { trashedAt: later.now, fromFolderId: garden },
      }),
    );
  });

  it('restore puts the clip back into the folder it left', async () => {
    const history = world(moved(garden), trashed(trashedAt, garden));
    expect(await stateAfter(history, 'Ok', 'item.restore', { item_id: clipId }, later)).toEqual(
      expect.objectContaining({ ...clip, folderId: garden }),
    );
  });

  it('restore puts the clip in the inbox when its folder is gone', async () => {
    const history = world(moved(garden), trashed(trashedAt, garden));
    const tree = `foldertree-${alice}`;
    const gone = { ...history, [tree]: [...(history[tree] ?? []), folderDeleted(garden)] };
    expect(await stateAfter(gone, 'Ok', 'item.restore', { item_id: clipId }, later)).toEqual(
      expect.objectContaining(clip),
    );
  });

  it('delete from the trash deletes the clip for good', async () => {
    const state = await stateAfter(
      world(trashed(trashedAt)),
      'ItemDeletedForGood',
      'item.delete',
      { item_id: clipId },
      later,
    );
    expect(state.status).toBe('purged');
  });
});
