import { defineSlice } from '../kernel/index.ts';
import { createFolder } from './commands/create.ts';
import { deleteFolder } from './commands/delete.ts';
import { moveFolder } from './commands/move.ts';
import { renameFolder } from './commands/rename.ts';
import { folderEventVersions } from './events.ts';
import { folderTreeAggregate } from './state.ts';

export { listOrderKey } from './case-folding.ts';
export type { FolderCreated, FolderDeleted, FolderMoved, FolderRenamed, FolderTreeEvent } from './events.ts';
export {
  type FolderTreeState,
  folderTreeAggregate,
  type LiveFolder,
  liveFolder,
  nameKey,
} from './state.ts';
export { type ElsewhereFolder, loadElsewhere, locate } from './whereabouts.ts';
export { createFolder, deleteFolder, moveFolder, renameFolder };

export const folderSlice = defineSlice({
  aggregates: [folderTreeAggregate],
  commands: [createFolder, renameFolder, moveFolder, deleteFolder],
  eventVersions: folderEventVersions,
});
