import type { DomainEvent } from '../kernel/index.ts';

// Events of one item (stream `item-<itemId>`). Every event repeats the item's
// id so a projection or an auditor can use an event on its own. Date-times
// are ISO 8601 strings in UTC.

/** One frame of a clip. `milliseconds` is null when the camera did not send it. */
export interface Frame {
  readonly identifier: string;
  readonly datetime: string;
  readonly milliseconds: number | null;
}

export type ItemKind = 'clip' | 'snapshot';

/** Where a snapshot's frame came from. */
export interface SnapshotSource {
  readonly clipItemId: string;
  readonly identifier: string;
}

/** A camera uploaded a clip; it lands in the owner's inbox (no folder). */
export type ItemRecorded = DomainEvent<
  'ItemRecorded',
  {
    readonly itemId: string;
    readonly cameraId: string;
    // The camera's owner at recording time: the item stays theirs even if the camera changes hands.
    readonly ownerId: string;
    readonly startDatetime: string;
    readonly endDatetime: string;
    readonly isAlert: boolean;
    readonly frames: readonly Frame[];
  }
>;

/**
 * The first event of a copy's own stream: everything the copy is, taken from
 * the source at the moment of copying, so the copy never needs the source
 * again (the source may be trashed or deleted later).
 */
export type ItemCopied = DomainEvent<
  'ItemCopied',
  {
    readonly itemId: string;
    readonly copiedFromItemId: string;
    readonly ownerId: string;
    readonly cameraId: string;
    readonly kind: ItemKind;
    readonly folderId: string;
    readonly startDatetime: string;
    readonly endDatetime: string;
    readonly isAlert: boolean;
    readonly frames: readonly Frame[];
    readonly label: string;
    readonly note: string;
    readonly flagged: boolean;
    readonly snapshotOf: SnapshotSource | null;
  }
>;

/**
 * The first event of a snapshot's own stream, written by the follow-up of
 * SnapshotTaken (item.materialize_snapshot). One frame, in the folder the
 * owner chose.
 */
export type SnapshotItemCreated = DomainEvent<
  'SnapshotItemCreated',
  {
    readonly itemId: string;
    readonly clipItemId: string;
    readonly identifier: string;
    readonly ownerId: string;
    readonly cameraId: string;
    readonly folderId: string;
    readonly isAlert: boolean;
    readonly frame: Frame;
  }
>;

/** The owner changed the label and/or the note; only the fields that changed are present. */
export type ItemUpdated = DomainEvent<
  'ItemUpdated',
  { readonly itemId: string; readonly label?: string; readonly note?: string }
>;

export type ItemFlagSet = DomainEvent<'ItemFlagSet', { readonly itemId: string; readonly flagged: boolean }>;

/** `fromFolderId` null: it came from the inbox. */
export type ItemMoved = DomainEvent<
  'ItemMoved',
  { readonly itemId: string; readonly fromFolderId: string | null; readonly toFolderId: string }
>;

/**
 * The item left its folder for the trash. It remembers the folder so a
 * restore can put it back; deleting that folder meanwhile does not take the
 * trashed item with it (it was no longer in it).
 */
export type ItemTrashed = DomainEvent<
  'ItemTrashed',
  { readonly itemId: string; readonly trashedAt: string; readonly fromFolderId: string | null }
>;

/** Back from the trash: into `toFolderId`, or the inbox (null) when that folder was gone. */
export type ItemRestored = DomainEvent<
  'ItemRestored',
  { readonly itemId: string; readonly toFolderId: string | null }
>;

/** Deleted for good from the trash. The stream stays as history; the item is never found again. */
export type ItemPurged = DomainEvent<'ItemPurged', { readonly itemId: string }>;

/**
 * On the clip's stream: the owner saved frame `identifier` into `folderId` as
 * the new item `snapshotItemId`. The clip is the consistency boundary of "one
 * snapshot of a frame per folder"; a reactor then creates the snapshot's own
 * stream.
 */
export type SnapshotTaken = DomainEvent<
  'SnapshotTaken',
  {
    readonly itemId: string;
    readonly snapshotItemId: string;
    readonly folderId: string;
    readonly identifier: string;
    readonly frame: Frame;
  }
>;

/**
 * On the clip's stream: a copy of one of its snapshots now exists
 * (`snapshotItemId`, created in `folderId`), so the clip knows it when it
 * checks for a snapshot already in a folder.
 */
export type SnapshotCopyLinked = DomainEvent<
  'SnapshotCopyLinked',
  {
    readonly itemId: string;
    readonly snapshotItemId: string;
    readonly folderId: string;
    readonly identifier: string;
  }
>;

export type ItemEvent =
  | ItemRecorded
  | ItemCopied
  | SnapshotItemCreated
  | ItemUpdated
  | ItemFlagSet
  | ItemMoved
  | ItemTrashed
  | ItemRestored
  | ItemPurged
  | SnapshotTaken
  | SnapshotCopyLinked;

/** Schema versions of this slice's events (all at 1 so far). */
export const itemEventVersions = {
  ItemRecorded: 1,
  ItemCopied: 1,
  SnapshotItemCreated: 1,
  ItemUpdated: 1,
  ItemFlagSet: 1,
  ItemMoved: 1,
  ItemTrashed: 1,
  ItemRestored: 1,
  ItemPurged: 1,
  SnapshotTaken: 1,
  SnapshotCopyLinked: 1,
} as const satisfies Record<ItemEvent['type'], number>;
