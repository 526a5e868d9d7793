import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { FolderRenamed } from '../events.ts';
import { liveSiblingNamed, nameKey } from '../state.ts';
import { loadOwnTreeFor, ownFolderOr } from '../whereabouts.ts';

const payload = z.object({
  folder_id: param.ref(),
  name: param.name(3, 64),
});

export const renameFolder = defineCommand({
  name: 'folder.rename',
  internal: false,
  payload,
  load: (p, ctx, reader) => loadOwnTreeFor(reader, ctx, p.folder_id),
  decide(p, { tree, elsewhere }) {
    const found = ownFolderOr(tree.state, elsewhere, p.folder_id);
    if ('ok' in found) return found;
    const folder = found.folder;
    // Exactly the name it has: nothing changes, so nothing is recorded.
    if (folder.name === p.name) return acceptUnchanged('FolderRenamed', { folder_id: folder.id });
    // A sibling with the same key blocks the name; the folder itself does not
    // (renaming "garden" to "Garden" only changes how it is shown).
    const key = nameKey(p.name);
    if (liveSiblingNamed(tree.state, folder.parentId, key, folder.id))
      return reject('NameTakenOnRename', { name: p.name });
    const renamed: FolderRenamed = { type: 'FolderRenamed', data: { folderId: folder.id, name: p.name } };
    return accept('FolderRenamed', tree, [renamed], { folder_id: folder.id });
  },
});
