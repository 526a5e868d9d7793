import { specFor } from '@camledger/testing';
import { describe, it } from 'vitest';
import {
  alice,
  bob,
  claimed,
  created,
  deleted,
  directoryOf,
  fld,
  moved,
  treeOf,
} from '../../testing/fixtures/folder.ts';
import { moveFolder } from './move.ts';

const given = specFor([moveFolder]);
// Garden(1) > Gate(3) > Hinges(4); Driveway(2) > gate(5)
const tree = {
  [treeOf(alice)]: [
    created(fld(1), 'Garden'),
    created(fld(2), 'Driveway'),
    created(fld(3), 'Gate', fld(1)),
    created(fld(4), 'Hinges', fld(3)),
    created(fld(5), 'gate', fld(2)),
  ],
};
const withBob = {
  ...tree,
  [treeOf(bob)]: [created(fld(9), 'Porch', null, bob)],
  [directoryOf(fld(9))]: [claimed(fld(9), bob)],
};

describe('folder.move', () => {
  it('moves my folder, with its subtree, under another of my folders: 14002', () =>
    given(tree)
      .when('folder.move', { folder_id: fld(4), parent_id: fld(2) })
      .thenAccepts('FolderMoved', {
        stream: treeOf(alice),
        events: [moved(fld(4), fld(2))],
        result: { folder_id: fld(4) },
      }));

  it('moves a folder to the top level with parent_id 0', () =>
    given(tree)
      .when('folder.move', { folder_id: fld(3), parent_id: 0 })
      .thenAccepts('FolderMoved', { events: [moved(fld(3), null)] }));

  it('answers 4003 when the folder is already under that parent', () =>
    given(tree)
      .when('folder.move', { folder_id: fld(3), parent_id: fld(1) })
      .thenRejects('AlreadyChildOfParent'));

  it('answers 4003 when a top-level folder is moved to the top level', () =>
    given(tree)
      .when('folder.move', { folder_id: fld(1), parent_id: '0' })
      .thenRejects('AlreadyChildOfParent'));

  it('answers 4003 when a folder is moved into itself', () =>
    given(tree)
      .when('folder.move', { folder_id: fld(1), parent_id: fld(1) })
      .thenRejects('AlreadyChildOfParent'));

  it('answers 4003 when a folder is moved below itself, which would make a cycle', () =>
    given(tree)
      .when('folder.move', { folder_id: fld(1), parent_id: fld(4) })
      .thenRejects('AlreadyChildOfParent'));

  it('answers 4100 when the new parent does not exist', () =>
    given(tree)
      .when('folder.move', { folder_id: fld(3), parent_id: fld(7) })
      .thenRejects('ParentFolderMissing'));

  it('answers 4100 when the new parent was deleted', () =>
    given({ [treeOf(alice)]: [...(tree[treeOf(alice)] ?? []), deleted(fld(2))] })
      .when('folder.move', { folder_id: fld(3), parent_id: fld(5) })
      .thenRejects('ParentFolderMissing'));

  it("answers 4102 when the new parent is another user's folder", () =>
    given(withBob)
      .when('folder.move', { folder_id: fld(3), parent_id: fld(9) })
      .thenRejects('NotParentOwner', { parent_id: fld(9) }));

  it('answers 4004 when the destination has a folder of the same name in another case', () =>
    given(tree)
      .when('folder.move', { folder_id: fld(3), parent_id: fld(2) })
      .thenRejects('NameTakenOnRename', { name: 'Gate' }));

  it('answers 4000 for a folder that does not exist', () =>
    given(tree)
      .when('folder.move', { folder_id: fld(7), parent_id: 0 })
      .thenRejects('FolderNotFound'));

  it("answers 4002 for another user's folder, before anything about the parent", () =>
    given(withBob)
      .when('folder.move', { folder_id: fld(9), parent_id: fld(7) })
      .thenRejects('NotFolderOwner', { folder_id: fld(9) }));

  it('answers 128 without a parent_id', () =>
    given(tree)
      .when('folder.move', { folder_id: fld(3) })
      .thenRejects('MissingParameter', { param: 'parent_id' }));

  it('answers 128 for a parent_id that is neither 0 nor an id string', () =>
    given(tree)
      .when('folder.move', { folder_id: fld(3), parent_id: 5 })
      .thenRejects('MissingParameter', { param: 'parent_id' }));
});
