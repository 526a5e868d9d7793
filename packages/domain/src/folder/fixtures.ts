import type { IdClaimed } from '../directory/index.ts';
import { defaultActor, testId } from '../testing/index.ts';
import type { FolderCreated, FolderDeleted, FolderMoved, FolderRenamed } from './events.ts';

// Histories for folder specifications: Alice is the actor unless a test says
// otherwise; Bob owns folders she must not touch.

export const alice = defaultActor;
export const bob = testId('usr', 'B');
export const fld = (n: number | string) => testId('fld', n);

export const treeOf = (owner: string) => `foldertree-${owner}`;
export const directoryOf = (folderId: string) => `directory-${folderId}`;

export const created = (
  folderId: string,
  name: string,
  parentId: string | null = null,
  ownerId: string = alice,
): FolderCreated => ({ type: 'FolderCreated', data: { folderId, ownerId, name, parentId } });

export const renamed = (folderId: string, name: string): FolderRenamed => ({
  type: 'FolderRenamed',
  data: { folderId, name },
});

export const moved = (folderId: string, parentId: string | null): FolderMoved => ({
  type: 'FolderMoved',
  data: { folderId, parentId },
});

export const deleted = (folderId: string, ...below: string[]): FolderDeleted => ({
  type: 'FolderDeleted',
  data: { folderId, deletedFolderIds: [folderId, ...below] },
});

/** What the directory holds once the reactor's claim for a folder has run. */
export const claimed = (folderId: string, owner: string): IdClaimed => ({
  type: 'IdClaimed',
  data: { id: folderId, kind: 'folder', owner, container: owner },
});
