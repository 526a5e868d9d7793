import { specFor } from '@camledger/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '../../kernel/index.ts';
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
import { folderTreeAggregate, liveFolder } from '../state.ts';
import { deleteFolder } from './delete.ts';

const given = specFor([deleteFolder]);
// Garden(1) > Gate(3) > Hinges(4); Driveway(2); Shed(5) moved under Gate.
const history = [
  created(fld(1), 'Garden'),
  created(fld(2), 'Driveway'),
  created(fld(3), 'Gate', fld(1)),
  created(fld(4), 'Hinges', fld(3)),
  created(fld(5), 'Shed'),
  moved(fld(5), fld(3)),
];
const tree = { [treeOf(alice)]: history };

describe('folder.delete', () => {
  it('deletes the folder with every folder below it, where they are now: 14100', () =>
    given(tree)
      .when('folder.delete', { folder_id: fld(1) })
      .thenAccepts('FolderDeleted', {
        stream: treeOf(alice),
        events: [deleted(fld(1))],
        result: { folder_id: fld(1) },
      }));

  it('after the deletion none of those folders is live, and the others are', () => {
    const after = fold(folderTreeAggregate, [...history, deleted(fld(1))]);
    expect([1, 3, 4, 5].map((n) => liveFolder(after, fld(n)))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(liveFolder(after, fld(2))).toEqual({ id: fld(2), name: 'Driveway', parentId: null });
  });

  it('answers 4000 when deleting it a second time', () =>
    given({ [treeOf(alice)]: [...history, deleted(fld(1))] })
      .when('folder.delete', { folder_id: fld(1) })
      .thenRejects('FolderNotFound'));

  it('answers 4000 for a subfolder that went with its parent', () =>
    given({ [treeOf(alice)]: [...history, deleted(fld(1))] })
      .when('folder.delete', { folder_id: fld(4) })
      .thenRejects('FolderNotFound'));

  it('answers 4000 for a folder that never existed', () =>
    given(tree)
      .when('folder.delete', { folder_id: fld(7) })
      .thenRejects('FolderNotFound', { folder_id: fld(7) }));

  it("answers 4002 for another user's folder", () =>
    given({
      [treeOf(bob)]: [created(fld(9), 'Porch', null, bob)],
      [directoryOf(fld(9))]: [claimed(fld(9), bob)],
    })
      .when('folder.delete', { folder_id: fld(9) })
      .thenRejects('NotFolderOwner'));

  it('answers 128 without a folder_id', () =>
    given(tree).when('folder.delete', {}).thenRejects('MissingParameter', { param: 'folder_id' }));
});
