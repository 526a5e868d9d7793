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
 * A folder was deleted for good, and with it every live folder below it at
 * that moment. Only the folder is named: its subtree follows from the tree
 * as folded up to this event (the fold marks it), and a list of it could outgrow
 * what one append may carry (about 32,000 ids fill 1 MiB). Version 1 also
 * listed the subtree; ../upcasting drops that list on read.
 */
export type FolderDeleted = DomainEvent<'FolderDeleted', { readonly folderId: string }>;

export type FolderTreeEvent = FolderCreated | FolderRenamed | FolderMoved | FolderDeleted;

/**
 * Schema versions of this slice's events. FolderCreated and FolderMoved are
 * at 2: version 1 wrote the top level as `parentId: 0`. FolderDeleted is at
 * 2: version 1 listed the whole subtree. The upcasters in ../upcasting lift
 * those on read.
 */
export const folderEventVersions = {
  FolderCreated: 2,
  FolderRenamed: 1,
  FolderMoved: 2,
  FolderDeleted: 2,
} as const satisfies Record<FolderTreeEvent['type'], number>;
