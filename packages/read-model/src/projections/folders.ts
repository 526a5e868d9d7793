import {
  type FolderCreated,
  type FolderDeleted,
  type FolderMoved,
  type FolderRenamed,
  listOrderKey,
} from '@camledger/domain';
import { dataOf, type Handlers } from './projected-event.ts';

// folders: each user's tree, with the key its name is listed by (the
// domain's `listOrderKey`: trimmed, NFC, case-folded, §4). A deleted folder
// stays as a tombstone. The items filed in it and in its subtree are gone (§4: not found for
// everyone), but their rows stay: queries hide an item whose folder is a
// tombstone, as the commands do, and an event decided before the deletion
// (a move out of it, a trashing) can still bring the item back, as it does
// for the commands.

export const folderHandlers: Handlers = {
  async FolderCreated(tx, event) {
    const { folderId, ownerId, name, parentId } = dataOf<FolderCreated['data']>(event);
    await tx.query(
      `INSERT INTO folders (folder_id, owner_id, name, name_key, parent_id)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (folder_id) DO NOTHING`,
      [folderId, ownerId, name, listOrderKey(name), parentId],
    );
  },
  async FolderRenamed(tx, event) {
    const { folderId, name } = dataOf<FolderRenamed['data']>(event);
    await tx.query('UPDATE folders SET name = $2, name_key = $3 WHERE folder_id = $1', [
      folderId,
      name,
      listOrderKey(name),
    ]);
  },
  async FolderMoved(tx, event) {
    const { folderId, parentId } = dataOf<FolderMoved['data']>(event);
    await tx.query('UPDATE folders SET parent_id = $2 WHERE folder_id = $1', [folderId, parentId]);
  },
  // The event names only the folder; what went with it is every live folder
  // below it in the rows as they stand, which hold the tree up to this very
  // event (events are applied in log order), as the domain's fold does.
  // UNION, not UNION ALL: a row met twice ends the walk, so even a broken
  // history with a cycle cannot make it run for ever.
  async FolderDeleted(tx, event) {
    const { folderId } = dataOf<FolderDeleted['data']>(event);
    await tx.query(
      `WITH RECURSIVE subtree (folder_id, owner_id) AS (
         SELECT folder_id, owner_id FROM folders WHERE folder_id = $1
         UNION
         SELECT f.folder_id, f.owner_id FROM folders f
           JOIN subtree s ON f.owner_id = s.owner_id AND f.parent_id = s.folder_id
          WHERE NOT f.deleted
       )
       UPDATE folders SET deleted = true WHERE folder_id IN (SELECT folder_id FROM subtree)`,
      [folderId],
    );
  },
};
