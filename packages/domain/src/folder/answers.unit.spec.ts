import { specFor } from '@camledger/testing';
import { describe, expect, it } from 'vitest';
import { alice, created, deleted, fld, tagOf, treeOf } from '../testing/fixtures/folder.ts';
import { createFolder } from './commands/create.ts';
import { deleteFolder } from './commands/delete.ts';
import { moveFolder } from './commands/move.ts';
import { renameFolder } from './commands/rename.ts';

// What the folder commands tell the client beyond the code: the ids a
// rejection names, the top level named as parent 0 (as the client sent it),
// and which streams a command writes. Found missing by mutation testing
// (BENCHMARKS.md, "Mutation testing").

const given = specFor([createFolder, moveFolder, renameFolder, deleteFolder]);
// Garden(1) > Gate(3); Driveway(2) at the top.
const tree = {
  [treeOf(alice)]: [created(fld(1), 'Garden'), created(fld(2), 'Driveway'), created(fld(3), 'Gate', fld(1))],
};

describe('rejections name what they refer to', () => {
  it('a clash at the top level on create names parent 0', () =>
    given(tree)
      .when('folder.create', { name: 'garden', parent_id: 0 })
      .thenRejects('NameTakenOnCreate', { name: 'garden', parent_id: 0 }));

  it('a clash at the top level on move names parent 0', () =>
    given({ [treeOf(alice)]: [...(tree[treeOf(alice)] ?? []), created(fld(4), 'driveway', fld(1))] })
      .when('folder.move', { folder_id: fld(4), parent_id: 0 })
      .thenRejects('NameTakenOnRename', { name: 'driveway', parent_id: 0 }));

  it('a move to the top level of a top-level folder names it and parent 0', () =>
    given(tree)
      .when('folder.move', { folder_id: fld(2), parent_id: 0 })
      .thenRejects('AlreadyChildOfParent', { folder_id: fld(2), parent_id: 0 }));

  it('a missing parent is named, on create and on move', async () => {
    await given(tree)
      .when('folder.create', { name: 'Shed', parent_id: fld(8) })
      .thenRejects('ParentFolderMissing', { parent_id: fld(8) });
    await given(tree)
      .when('folder.move', { folder_id: fld(3), parent_id: fld(8) })
      .thenRejects('ParentFolderMissing', { parent_id: fld(8) });
  });

  it('a missing folder is named', () =>
    given(tree)
      .when('folder.rename', { folder_id: fld(8), name: 'Shed' })
      .thenRejects('FolderNotFound', { folder_id: fld(8) }));
});

describe('accepted answers', () => {
  it('renaming to the very same name answers 14000 with the folder id and records nothing', () =>
    given(tree)
      .when('folder.rename', { folder_id: fld(3), name: 'Gate' })
      .thenAccepts('FolderRenamed', { events: [], result: { folder_id: fld(3) } }));

  it("a create without a client-chosen id writes the tree and, the user's first, their creator tag; nothing else", async () => {
    const when = given(tree).when('folder.create', { name: 'Shed', parent_id: 0 });
    const decision = await when.decision;
    const newId = decision.ok ? decision.result.folder_id : undefined;
    expect(newId).toMatch(/^fld/);
    const streams = new Set((await when.stored()).map((a) => a.stream));
    expect([...streams].sort()).toEqual([tagOf(alice), treeOf(alice)].sort());
  });

  it('deleting a folder whose subfolder went earlier lists only the folders it takes now', () =>
    given({ [treeOf(alice)]: [...(tree[treeOf(alice)] ?? []), deleted(fld(3))] })
      .when('folder.delete', { folder_id: fld(1) })
      .thenAccepts('FolderDeleted', { events: [deleted(fld(1))] }));
});
