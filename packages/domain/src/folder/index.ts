import type { Slice } from '../kernel/index.ts';
import { folderEventVersions } from './events.ts';
import { folderTreeAggregate } from './state.ts';

export type { FolderCreated, FolderDeleted, FolderMoved, FolderRenamed, FolderTreeEvent } from './events.ts';
export {
  type FolderTreeState,
  folderTreeAggregate,
  type LiveFolder,
  liveFolder,
  nameKey,
} from './state.ts';

// Commands land in the next steps; the aggregate comes first so the item
// slice can read folder trees.
export const folderSlice: Slice = {
  aggregates: [folderTreeAggregate],
  commands: [],
  eventVersions: folderEventVersions,
};
