import type { FollowUp, StoredEvent } from '../kernel/index.ts';
import { defineSlice } from '../kernel/index.ts';
import { createFolder } from './commands/create.ts';
import { deleteFolder } from './commands/delete.ts';
import { moveFolder } from './commands/move.ts';
import { renameFolder } from './commands/rename.ts';
import { type FolderCreated, folderEventVersions } from './events.ts';
import { folderTreeAggregate } from './state.ts';

export type { FolderCreated, FolderDeleted, FolderMoved, FolderRenamed, FolderTreeEvent } from './events.ts';
export {
  type FolderTreeState,
  folderTreeAggregate,
  type LiveFolder,
  liveFolder,
  nameKey,
} from './state.ts';
export { createFolder, deleteFolder, moveFolder, renameFolder };

/**
 * A new folder is claimed in the directory, so that a command naming only
 * its id can find whose it is (4002 rather than 4000 for someone else's).
 * Repeating the claim for the same owner changes nothing. `container` is
 * the id of the aggregate the folder lives in (its owner's tree), as the
 * network slice gives the network id for an invitation.
 */
export function claimCreatedFolder(event: StoredEvent): readonly FollowUp[] {
  const { folderId, ownerId } = event.data as FolderCreated['data'];
  return [
    {
      command: 'directory.claim',
      payload: { id: folderId, kind: 'folder', owner: ownerId, container: ownerId },
    },
  ];
}

export const folderSlice = defineSlice({
  aggregates: [folderTreeAggregate],
  commands: [createFolder, renameFolder, moveFolder, deleteFolder],
  reactors: { FolderCreated: claimCreatedFolder },
  eventVersions: folderEventVersions,
});
