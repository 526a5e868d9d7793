import { describe, expect, it } from 'vitest';
import { folderTreeAggregate } from '../folder/index.ts';
import { fold } from '../kernel/index.ts';
import folderV1 from './fixtures/folder-v1.json' with { type: 'json' };
import { currentEventVersions, storedVersionOf, upcast, type VersionedEvent } from './index.ts';

// History written before folder events said `null` for the top level: the
// fixture is what such a store holds, metadata and all (the last event even
// predates schema versions and carries none).
const v1History = folderV1 as VersionedEvent[];

const a = (n: number) => `fld_${String(n).padStart(26, '0')}`;

describe('reading folder events written at version 1', () => {
  it('folds old history into the tree the domain keeps today, top level as null', () => {
    const state = fold(folderTreeAggregate, v1History.map(upcast) as never);
    expect(state.folders.toObject()).toEqual({
      [a(1)]: { id: a(1), name: 'Garden', parentId: null, deleted: false },
      [a(2)]: { id: a(2), name: 'Foxes', parentId: null, deleted: false },
      [a(3)]: { id: a(3), name: 'Street', parentId: a(1), deleted: false },
    });
  });

  it('reads an event without a schema version as version 1', () => {
    const unversioned = { type: 'FolderMoved', data: { folderId: a(9), parentId: 0 }, metadata: {} };
    expect(storedVersionOf(unversioned)).toBe(1);
    expect(upcast(unversioned)).toEqual({ type: 'FolderMoved', data: { folderId: a(9), parentId: null } });
  });

  it('reads a deletion that listed its subtree as one naming only its folder, folded to the same tree', () => {
    const v1Deleted = {
      type: 'FolderDeleted',
      data: { folderId: a(1), deletedFolderIds: [a(1), a(3)] },
      metadata: { schemaVersion: 1 },
    };
    expect(upcast(v1Deleted)).toEqual({ type: 'FolderDeleted', data: { folderId: a(1) } });
    const state = fold(folderTreeAggregate, [...v1History, v1Deleted].map(upcast) as never);
    expect(state.folders.toObject()).toEqual({
      [a(1)]: { id: a(1), name: 'Garden', parentId: null, deleted: true },
      [a(2)]: { id: a(2), name: 'Foxes', parentId: null, deleted: false },
      [a(3)]: { id: a(3), name: 'Street', parentId: a(1), deleted: true },
    });
  });
});

describe('reading a version 1 event whatever its metadata says', () => {
  it('lifts a top level sent as the string "0" to null, as the number 0', () => {
    const moved = (parentId: unknown) => ({
      type: 'FolderMoved',
      data: { folderId: a(9), parentId },
      metadata: { schemaVersion: 1 },
    });
    expect(upcast(moved('0')).data).toEqual({ folderId: a(9), parentId: null });
    expect(upcast(moved(0)).data).toEqual({ folderId: a(9), parentId: null });
    expect(upcast(moved(a(1))).data).toEqual({ folderId: a(9), parentId: a(1) });
  });

  it('reads an event stored without any metadata as version 1', () => {
    const bare = {
      type: 'FolderCreated',
      data: { folderId: a(9), ownerId: 'usr_x', name: 'Old', parentId: 0 },
    };
    expect(storedVersionOf(bare)).toBe(1);
    expect(upcast(bare).data).toMatchObject({ parentId: null });
  });

  it('reads a schema version that is no whole number from 1 up as version 1, and lifts the event', () => {
    for (const schemaVersion of ['2', 1.5, 0, -1, null]) {
      const event = {
        type: 'FolderMoved',
        data: { folderId: a(9), parentId: 0 },
        metadata: { schemaVersion },
      };
      expect(storedVersionOf(event), String(schemaVersion)).toBe(1);
      expect(upcast(event).data, String(schemaVersion)).toEqual({ folderId: a(9), parentId: null });
    }
    expect(storedVersionOf({ type: 'FolderMoved', data: {}, metadata: { schemaVersion: 2 } })).toBe(2);
  });
});

describe('reading events already current', () => {
  it('leaves a version 2 folder event as it is, even one whose parent id looks like zero', () => {
    const current = {
      type: 'FolderCreated',
      data: { folderId: a(1), ownerId: 'usr_x', name: 'Zero', parentId: a(2) },
      metadata: { schemaVersion: 2 },
    };
    expect(upcast(current).data).toBe(current.data);
  });

  it('leaves event types that never changed untouched', () => {
    const data = { itemId: 'itm_x', flagged: true };
    expect(upcast({ type: 'ItemFlagSet', data, metadata: { schemaVersion: 1 } }).data).toBe(data);
  });

  it('stamps new folder creations and moves at version 2', () => {
    expect(currentEventVersions).toMatchObject({ FolderCreated: 2, FolderMoved: 2 });
  });
});
