import { specFor } from '@camledger/testing';
import { describe, expect, it } from 'vitest';
import { type SuccessName, successes } from '../codes/index.ts';
import { type DomainEvent, fold } from '../kernel/index.ts';
import { alice, created, fld, treeOf } from '../testing/fixtures/folder.ts';
import { createFolder } from './commands/create.ts';
import { deleteFolder } from './commands/delete.ts';
import { moveFolder } from './commands/move.ts';
import { renameFolder } from './commands/rename.ts';
import type { FolderTreeEvent } from './events.ts';
import { folderTreeAggregate } from './state.ts';

// The events a folder command emits must rebuild the tree it promised: the
// tree folded from history + emitted events is compared with the folders
// written out by hand, so an `evolve` that drops FolderRenamed (or any other
// event) fails here even when the emitted events are right.

const given = specFor([createFolder, renameFolder, moveFolder, deleteFolder]);
const tree = treeOf(alice);
const history = {
  [tree]: [created(fld(1), 'Garden'), created(fld(2), 'Gate', fld(1)), created(fld(3), 'Shed')],
};
const node = (id: string, name: string, parentId: string | null, deleted = false) => ({
  id,
  name,
  parentId,
  deleted,
});
const untouched = {
  [fld(1)]: node(fld(1), 'Garden', null),
  [fld(2)]: node(fld(2), 'Gate', fld(1)),
  [fld(3)]: node(fld(3), 'Shed', null),
};

async function foldersAfter(success: SuccessName, command: string, payload: unknown) {
  const decision = await given(history).when(command, payload).decision;
  expect(decision).toMatchObject({ ok: true, code: successes[success].code });
  if (!decision.ok || !decision.write) throw new Error(`${command} appended nothing`);
  expect(decision.write.stream).toBe(tree);
  const events = [
    ...(history[tree] as readonly DomainEvent[]),
    ...decision.write.events,
  ] as FolderTreeEvent[];
  return fold(folderTreeAggregate, events).folders.toObject();
}

describe('the tree the emitted events rebuild', () => {
  it('create adds the folder under its parent, named as trimmed and NFC', async () => {
    expect(
      await foldersAfter('Ok', 'folder.create', {
        folder_id: fld(4),
        name: ' Cafe\u0301 ',
        parent_id: fld(3),
      }),
    ).toEqual({ ...untouched, [fld(4)]: node(fld(4), 'Caf\u00e9', fld(3)) });
  });

  it('rename changes the name, and only that', async () => {
    expect(
      await foldersAfter('FolderRenamed', 'folder.rename', { folder_id: fld(1), name: 'Back garden' }),
    ).toEqual({ ...untouched, [fld(1)]: node(fld(1), 'Back garden', null) });
  });

  it('move changes the parent, and the subtree comes along', async () => {
    expect(
      await foldersAfter('FolderMoved', 'folder.move', { folder_id: fld(1), parent_id: fld(3) }),
    ).toEqual({
      ...untouched,
      [fld(1)]: node(fld(1), 'Garden', fld(3)),
    });
  });

  it('move to the top level sets no parent', async () => {
    expect(await foldersAfter('FolderMoved', 'folder.move', { folder_id: fld(2), parent_id: 0 })).toEqual({
      ...untouched,
      [fld(2)]: node(fld(2), 'Gate', null),
    });
  });

  it('delete marks the folder and its subtree deleted, and nothing else', async () => {
    expect(await foldersAfter('FolderDeleted', 'folder.delete', { folder_id: fld(1) })).toEqual({
      ...untouched,
      [fld(1)]: node(fld(1), 'Garden', null, true),
      [fld(2)]: node(fld(2), 'Gate', fld(1), true),
    });
  });
});
