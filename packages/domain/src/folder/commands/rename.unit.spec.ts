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
  renamed,
  treeOf,
} from '../../testing/fixtures/folder.ts';
import { renameFolder } from './rename.ts';

const given = specFor([renameFolder]);
const tree = {
  [treeOf(alice)]: [created(fld(1), 'Garden'), created(fld(2), 'Driveway'), created(fld(3), 'Gate', fld(1))],
};
const bobsFolder = {
  [treeOf(bob)]: [created(fld(9), 'Porch', null, bob)],
  [directoryOf(fld(9))]: [claimed(fld(9), bob)],
};

describe('folder.rename', () => {
  it('renames my folder and answers 14000', () =>
    given(tree)
      .when('folder.rename', { folder_id: fld(1), name: ' Back garden ' })
      .thenAccepts('FolderRenamed', {
        stream: treeOf(alice),
        events: [renamed(fld(1), 'Back garden')],
        result: { folder_id: fld(1) },
      }));

  it('renaming to exactly the current name answers 14000 and records nothing', () =>
    given(tree)
      .when('folder.rename', { folder_id: fld(1), name: 'Garden' })
      .thenAccepts('FolderRenamed', { events: [] }));

  it('changing only the case of its own name is a rename, not a clash with itself', () =>
    given(tree)
      .when('folder.rename', { folder_id: fld(1), name: 'GARDEN' })
      .thenAccepts('FolderRenamed', { events: [renamed(fld(1), 'GARDEN')] }));

  it('may take the name of a folder under another parent', () =>
    given(tree)
      .when('folder.rename', { folder_id: fld(3), name: 'Driveway' })
      .thenAccepts('FolderRenamed', { events: [renamed(fld(3), 'Driveway')] }));

  it('answers 4004 when a sibling has the name, whatever its case or spacing', () =>
    given(tree)
      .when('folder.rename', { folder_id: fld(1), name: '  driveWAY' })
      .thenRejects('NameTakenOnRename', { name: 'driveWAY' }));

  it('answers 4000 for a folder that does not exist', () =>
    given(tree)
      .when('folder.rename', { folder_id: fld(7), name: 'Shed' })
      .thenRejects('FolderNotFound'));

  it('answers 4000 for a folder id of the wrong form', () =>
    given(tree).when('folder.rename', { folder_id: 'garden', name: 'Shed' }).thenRejects('FolderNotFound'));

  it("answers 4000 for a folder id too long to be anyone's, naming it", () =>
    given(tree)
      .when('folder.rename', { folder_id: 'f'.repeat(5000), name: 'Shed' })
      .thenRejects('FolderNotFound', { folder_id: 'f'.repeat(5000) }));

  it('answers 4000 for a folder gone with its deleted parent', () =>
    given({ [treeOf(alice)]: [...(tree[treeOf(alice)] ?? []), deleted(fld(1))] })
      .when('folder.rename', { folder_id: fld(3), name: 'Shed' })
      .thenRejects('FolderNotFound'));

  it("answers 4002 for another user's folder", () =>
    given(bobsFolder)
      .when('folder.rename', { folder_id: fld(9), name: 'Shed' })
      .thenRejects('NotFolderOwner', { folder_id: fld(9) }));

  it("answers 4000 for another user's folder they deleted", () =>
    given({ ...bobsFolder, [treeOf(bob)]: [created(fld(9), 'Porch', null, bob), deleted(fld(9))] })
      .when('folder.rename', { folder_id: fld(9), name: 'Shed' })
      .thenRejects('FolderNotFound'));

  it('answers 128 without a folder_id', () =>
    given(tree)
      .when('folder.rename', { name: 'Shed' })
      .thenRejects('MissingParameter', { param: 'folder_id' }));

  it('answers 192 for a name too short', () =>
    given(tree)
      .when('folder.rename', { folder_id: fld(1), name: 'ab' })
      .thenRejects('StringTooShort', { param: 'name' }));

  it('answers 200 for a name too long', () =>
    given(tree)
      .when('folder.rename', { folder_id: fld(1), name: 'y'.repeat(65) })
      .thenRejects('StringTooLong', { param: 'name' }));
});
