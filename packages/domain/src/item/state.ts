import { type Aggregate, evolveByType } from '../kernel/index.ts';
import type { Frame, ItemEvent, ItemKind, SnapshotSource } from './events.ts';

/**
 * absent: never recorded (or not yet); live: in the inbox or a folder;
 * trashed: in the trash, restorable for a while; purged: deleted for good.
 */
export type ItemStatus = 'absent' | 'live' | 'trashed' | 'purged';

/** A snapshot the clip knows of, with the folder it was created in. */
export interface SnapshotLink {
  readonly snapshotItemId: string;
  readonly identifier: string;
  readonly folderId: string;
}

export interface ItemState {
  readonly status: ItemStatus;
  readonly itemId: string;
  readonly ownerId: string | null;
  readonly cameraId: string;
  readonly kind: ItemKind;
  /** null: the inbox. Always null while trashed (the item left its folder). */
  readonly folderId: string | null;
  readonly startDatetime: string;
  readonly endDatetime: string;
  readonly isAlert: boolean;
  readonly frames: readonly Frame[];
  readonly label: string;
  readonly note: string;
  readonly flagged: boolean;
  readonly snapshotOf: SnapshotSource | null;
  readonly copiedFromItemId: string | null;
  /** Set while in the trash: when it went there and the folder it left (null: the inbox). */
  readonly trash: { readonly trashedAt: string; readonly fromFolderId: string | null } | null;
  /** For a clip: every snapshot saved from it (and copies of those), in order. */
  readonly snapshots: readonly SnapshotLink[];
}

export const initialItem: ItemState = {
  status: 'absent',
  itemId: '',
  ownerId: null,
  cameraId: '',
  kind: 'clip',
  folderId: null,
  startDatetime: '',
  endDatetime: '',
  isAlert: false,
  frames: [],
  label: '',
  note: '',
  flagged: false,
  snapshotOf: null,
  copiedFromItemId: null,
  trash: null,
  snapshots: [],
};

const linkSnapshot = (
  state: ItemState,
  { data }: Extract<ItemEvent, { type: 'SnapshotTaken' | 'SnapshotCopyLinked' }>,
): ItemState => ({
  ...state,
  snapshots: [
    ...state.snapshots,
    { snapshotItemId: data.snapshotItemId, identifier: data.identifier, folderId: data.folderId },
  ],
});

export const evolveItem = evolveByType<ItemState, ItemEvent>({
  ItemRecorded: (_state, { data }) => ({
    ...initialItem,
    status: 'live' as const,
    itemId: data.itemId,
    ownerId: data.ownerId,
    cameraId: data.cameraId,
    startDatetime: data.startDatetime,
    endDatetime: data.endDatetime,
    isAlert: data.isAlert,
    frames: data.frames,
  }),
  ItemCopied: (_state, { data }) => ({
    ...initialItem,
    status: 'live' as const,
    itemId: data.itemId,
    ownerId: data.ownerId,
    cameraId: data.cameraId,
    kind: data.kind,
    folderId: data.folderId,
    startDatetime: data.startDatetime,
    endDatetime: data.endDatetime,
    isAlert: data.isAlert,
    frames: data.frames,
    label: data.label,
    note: data.note,
    flagged: data.flagged,
    snapshotOf: data.snapshotOf,
    copiedFromItemId: data.copiedFromItemId,
  }),
  SnapshotItemCreated: (_state, { data }) => ({
    ...initialItem,
    status: 'live' as const,
    itemId: data.itemId,
    ownerId: data.ownerId,
    cameraId: data.cameraId,
    kind: 'snapshot' as const,
    folderId: data.folderId,
    // A snapshot is one instant: it starts and ends at its frame.
    startDatetime: data.frame.datetime,
    endDatetime: data.frame.datetime,
    isAlert: data.isAlert,
    frames: [data.frame],
    snapshotOf: { clipItemId: data.clipItemId, identifier: data.identifier },
  }),
  ItemUpdated: (state, { data }) => ({
    ...state,
    label: data.label ?? state.label,
    note: data.note ?? state.note,
  }),
  ItemFlagSet: (state, { data }) => ({ ...state, flagged: data.flagged }),
  ItemMoved: (state, { data }) => ({ ...state, folderId: data.toFolderId }),
  ItemTrashed: (state, { data }) => ({
    ...state,
    status: 'trashed' as const,
    folderId: null,
    trash: { trashedAt: data.trashedAt, fromFolderId: data.fromFolderId },
  }),
  ItemRestored: (state, { data }) => ({
    ...state,
    status: 'live' as const,
    folderId: data.toFolderId,
    trash: null,
  }),
  ItemPurged: (state) => ({ ...state, status: 'purged' as const, trash: null }),
  SnapshotTaken: linkSnapshot,
  SnapshotCopyLinked: linkSnapshot,
});

/** One stream per item (id = item id), clips and snapshots alike. */
export const itemAggregate: Aggregate<ItemState, ItemEvent> = {
  category: 'item',
  initial: initialItem,
  evolve: evolveItem,
};

/** The instant the trash window of a trashed item closes, in ms since the epoch. */
export const trashWindowEndsAt = (trashedAt: string, retentionMs: number): number =>
  Date.parse(trashedAt) + retentionMs;
