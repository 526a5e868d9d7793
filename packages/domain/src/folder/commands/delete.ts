import { z } from 'zod';
import { accept, defineCommand } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { FolderDeleted } from '../events.ts';
import { loadOwnTreeFor, ownFolderOr } from '../whereabouts.ts';

const payload = z.object({ folder_id: param.ref() });

export const deleteFolder = defineCommand({
  name: 'folder.delete',
  internal: false,
  payload,
  load: (p, ctx, reader) => loadOwnTreeFor(reader, ctx, p.folder_id),
  decide(p, { tree, elsewhere }) {
    const found = ownFolderOr(tree.state, elsewhere, p.folder_id);
    if ('ok' in found) return found;
    // Items are not touched: the item slice treats an item whose folder is
    // no longer live as gone, so one event settles the whole subtree, and it
    // names only its root (the fold takes the folders below it), so a tree
    // of any size fits one append.
    const deleted: FolderDeleted = { type: 'FolderDeleted', data: { folderId: found.folder.id } };
    return accept('FolderDeleted', tree, [deleted], { folder_id: found.folder.id });
  },
});
