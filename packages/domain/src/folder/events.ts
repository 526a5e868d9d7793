import type { DomainEvent } from '../kernel/index.ts';

// Events of a user's folder tree (stream `foldertree-<userId>`). Each carries
// only data; the worker adds who, when and through which command.

/** A folder was created. `parentId` null is the top level. */
export type FolderCreated = DomainEvent<
  'FolderCreated',
  {
    readonly folderId: string;
    // The owner is also the stream's id; it is repeated so the event alone
    // tells a reactor or projection whose folder it is.
    readonly ownerId: string;
    readonly name: string;
    readonly parentId: string | null;
  }
>;

/** A folder got a new name (already trimmed and NFC-normalised). */
export type FolderRenamed = DomainEvent<
  'FolderRenamed',
  { readonly folderId: string; readonly name: string }
>;

/** A folder (with its whole subtree) now hangs under another parent; null is the top level. */
export type FolderMoved = DomainEvent<
  'FolderMoved',
  { readonly folderId: string; readonly parentId: string | null }
>;

/**
 * A folder was deleted for good, and with it every folder below it.
 * `deletedFolderIds` lists them all (the folder first) as they were at that
 * moment, so a projection of items can tell which folders vanished without
 * rebuilding the tree.
 */
export type FolderDeleted = DomainEvent<
  'FolderDeleted',
  { readonly folderId: string; readonly deletedFolderIds: readonly string[] }
>;

export type FolderTreeEvent = FolderCreated | FolderRenamed | FolderMoved | FolderDeleted;

/**
 * Schema versions of this slice's events. FolderCreated and FolderMoved are
 * at 2: version 1 wrote the top level as `parentId: 0`; the upcaster in
 * ../upcasting lifts those on read.
 */
export const folderEventVersions = {
  FolderCreated: 2,
  FolderRenamed: 1,
  FolderMoved: 2,
  FolderDeleted: 1,
} as const satisfies Record<FolderTreeEvent['type'], number>;
