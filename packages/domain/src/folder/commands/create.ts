import { match } from 'ts-pattern';
import { z } from 'zod';
import { directoryAggregate } from '../../directory/index.ts';
import { accept, acceptUnchanged, defineCommand, isId, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { FolderCreated } from '../events.ts';
import { folderTreeAggregate, liveChildren, liveFolder, nameKey } from '../state.ts';
import { loadElsewhere, locate } from '../whereabouts.ts';

const payload = z.object({
  folder_id: param.newId('fld').optional(),
  name: param.name(3, 64),
  parent_id: param.parentRef(),
});

export const createFolder = defineCommand({
  name: 'folder.create',
  internal: false,
  payload,
  async load(p, ctx, reader) {
    const actor = String(ctx.actor);
    const tree = await reader.read(folderTreeAggregate, actor);
    const parentElsewhere = await loadElsewhere(reader, actor, tree.state, p.parent_id);
    // A client-chosen id must not be anyone's already; the directory knows every folder id claimed.
    const claimOfChosenId =
      p.folder_id !== undefined && isId('fld', p.folder_id)
        ? (await reader.read(directoryAggregate, p.folder_id)).state
        : null;
    return { actor, tree, parentElsewhere, claimOfChosenId };
  },
  decide(p, { actor, tree, parentElsewhere, claimOfChosenId }, ctx) {
    if (p.folder_id !== undefined) {
      const existing = tree.state.folders[p.folder_id];
      const live = liveFolder(tree.state, p.folder_id);
      // The same creation sent again (same id, name and parent): it already happened.
      if (live && live.name === p.name && live.parentId === p.parent_id)
        return acceptUnchanged('Ok', { folder_id: live.id, name: live.name });
      // Ids are never reused, also not those of deleted folders or of other users' things.
      if (existing || claimOfChosenId?.kind)
        return reject('MissingParameter', { param: 'folder_id', reason: 'already used' });
    }
    if (p.parent_id !== null) {
      const parent = locate(tree.state, parentElsewhere, p.parent_id);
      const refusal = match(parent)
        .with({ kind: 'own' }, () => null)
        .with({ kind: 'someone_else' }, () => reject('NotParentOwner', { parent_id: p.parent_id }))
        .with({ kind: 'nowhere' }, () => reject('ParentFolderMissing', { parent_id: p.parent_id }))
        .exhaustive();
      if (refusal) return refusal;
    }
    const key = nameKey(p.name);
    if (liveChildren(tree.state, p.parent_id).some((sibling) => nameKey(sibling.name) === key))
      return reject('NameTakenOnCreate', { name: p.name, parent_id: p.parent_id ?? 0 });

    const folderId = p.folder_id ?? ctx.newId('fld');
    const created: FolderCreated = {
      type: 'FolderCreated',
      data: { folderId, ownerId: actor, name: p.name, parentId: p.parent_id },
    };
    return accept('Ok', tree, [created], { folder_id: folderId, name: p.name });
  },
});
