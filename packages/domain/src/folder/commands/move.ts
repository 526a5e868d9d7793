import { match } from 'ts-pattern';
import { z } from 'zod';
import { accept, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { FolderMoved } from '../events.ts';
import { folderTreeAggregate, isInSubtree, liveSiblingNamed, nameKey } from '../state.ts';
import { loadElsewhere, locate, ownFolderOr } from '../whereabouts.ts';

const payload = z.object({
  folder_id: param.ref(),
  parent_id: param.parentRef(),
});

export const moveFolder = defineCommand({
  name: 'folder.move',
  internal: false,
  payload,
  async load(p, ctx, reader) {
    const actor = String(ctx.actor);
    const tree = await reader.read(folderTreeAggregate, actor);
    const folderElsewhere = await loadElsewhere(reader, actor, tree.state, p.folder_id);
    const parentElsewhere = await loadElsewhere(reader, actor, tree.state, p.parent_id);
    return { tree, folderElsewhere, parentElsewhere };
  },
  decide(p, { tree, folderElsewhere, parentElsewhere }) {
    const found = ownFolderOr(tree.state, folderElsewhere, p.folder_id);
    if ('ok' in found) return found;
    const folder = found.folder;
    const parentId = p.parent_id;
    // Where it already is, or into itself or below itself: the last two would
    // cut the subtree off the tree and make a cycle.
    if (parentId === folder.parentId || (parentId !== null && isInSubtree(tree.state, folder.id, parentId)))
      return reject('AlreadyChildOfParent', { folder_id: folder.id, parent_id: parentId ?? 0 });
    if (parentId !== null) {
      const refusal = match(locate(tree.state, parentElsewhere, parentId))
        .with({ kind: 'own' }, () => null)
        .with({ kind: 'someone_else' }, () => reject('NotParentOwner', { parent_id: parentId }))
        .with({ kind: 'nowhere' }, () => reject('ParentFolderMissing', { parent_id: parentId }))
        .exhaustive();
      if (refusal) return refusal;
    }
    const key = nameKey(folder.name);
    if (liveSiblingNamed(tree.state, parentId, key))
      return reject('NameTakenOnRename', { name: folder.name, parent_id: parentId ?? 0 });
    const moved: FolderMoved = { type: 'FolderMoved', data: { folderId: folder.id, parentId } };
    return accept('FolderMoved', tree, [moved], { folder_id: folder.id });
  },
});
