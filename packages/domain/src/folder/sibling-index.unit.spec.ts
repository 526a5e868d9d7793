import { describe, expect, it } from 'vitest';
import { fold } from '../kernel/index.ts';
import { fld } from '../testing/fixtures/folder.ts';
import type { FolderTreeEvent } from './events.ts';
import { folderTreeAggregate, liveSiblingNamed, nameKey } from './state.ts';

// The sibling index, case by case (the property spec beside it tries random
// histories; these pin each way a folder leaves or enters a name's slot).

const created = (n: number, name: string, parent: number | null = null): FolderTreeEvent => ({
  type: 'FolderCreated',
  data: { folderId: fld(n), ownerId: 'usr_owner', name, parentId: parent === null ? null : fld(parent) },
});
const named = (events: FolderTreeEvent[], name: string, parent: number | null = null) =>
  liveSiblingNamed(fold(folderTreeAggregate, events), parent === null ? null : fld(parent), nameKey(name))
    ?.id;

describe('the sibling index of a folder tree', () => {
  it('frees the old name on a rename and takes the new one', () => {
    const events: FolderTreeEvent[] = [
      created(1, 'Garden'),
      { type: 'FolderRenamed', data: { folderId: fld(1), name: 'Shed' } },
    ];
    expect(named(events, 'garden')).toBeUndefined();
    expect(named(events, 'SHED')).toBe(fld(1));
  });

  it('frees the name under the old parent on a move and takes it under the new one', () => {
    const events: FolderTreeEvent[] = [
      created(1, 'Top'),
      created(2, 'Foxes', 1),
      { type: 'FolderMoved', data: { folderId: fld(2), parentId: null } },
    ];
    expect(named(events, 'Foxes', 1)).toBeUndefined();
    expect(named(events, 'Foxes')).toBe(fld(2));
  });

  it('frees the name of every deleted folder', () => {
    const events: FolderTreeEvent[] = [
      created(1, 'Top'),
      created(2, 'Foxes', 1),
      { type: 'FolderDeleted', data: { folderId: fld(1) } },
    ];
    expect(named(events, 'Top')).toBeUndefined();
    expect(named(events, 'Foxes', 1)).toBeUndefined();
  });

  it('keeps the other holder of a name when one of two leaves it (a history that broke the rule)', () => {
    for (const leaving of [
      { type: 'FolderRenamed', data: { folderId: fld(1), name: 'Shed' } },
      { type: 'FolderMoved', data: { folderId: fld(1), parentId: fld(3) } },
      { type: 'FolderDeleted', data: { folderId: fld(1) } },
    ] as FolderTreeEvent[]) {
      const events = [created(3, 'Elsewhere'), created(1, 'Garden'), created(2, 'garden'), leaving];
      expect(named(events, 'Garden'), leaving.type).toBe(fld(2));
    }
  });

  it('answers the other holder when asked to look past one', () => {
    const tree = fold(folderTreeAggregate, [created(1, 'Garden'), created(2, 'GARDEN')]);
    expect(liveSiblingNamed(tree, null, nameKey('garden'), fld(1))?.id).toBe(fld(2));
    expect(liveSiblingNamed(tree, null, nameKey('garden'), fld(2))?.id).toBe(fld(1));
  });

  it('ignores renames, moves and deletions of folders it never saw', () => {
    const before = fold(folderTreeAggregate, [created(1, 'Garden')]);
    const after = fold(
      folderTreeAggregate,
      [
        { type: 'FolderRenamed', data: { folderId: fld(7), name: 'Shed' } },
        { type: 'FolderMoved', data: { folderId: fld(8), parentId: null } },
        { type: 'FolderDeleted', data: { folderId: fld(9) } },
      ],
      before,
    );
    expect([...after.folders.keys()]).toEqual([fld(1)]);
    expect(after.siblings.toObject()).toEqual(before.siblings.toObject());
  });
});
