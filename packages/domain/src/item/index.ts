import type { FollowUp, Reactor } from '../kernel/index.ts';
import { defineSlice } from '../kernel/index.ts';
import { copy } from './commands/copy.ts';
import { deleteItem } from './commands/delete.ts';
import { linkSnapshotCopy } from './commands/link-snapshot-copy.ts';
import { materializeSnapshot } from './commands/materialize-snapshot.ts';
import { move } from './commands/move.ts';
import { record } from './commands/record.ts';
import { restore } from './commands/restore.ts';
import { saveSnapshot } from './commands/save-snapshot.ts';
import { setFlag } from './commands/set-flag.ts';
import { update } from './commands/update.ts';
import { type ItemCopied, itemEventVersions, type SnapshotTaken } from './events.ts';
import { itemAggregate } from './state.ts';

export { presence } from './access.ts';
export type * from './events.ts';
export { itemEventVersions } from './events.ts';
export * from './state.ts';

export const itemCommands = [
  record,
  update,
  setFlag,
  move,
  copy,
  saveSnapshot,
  deleteItem,
  restore,
  materializeSnapshot,
  linkSnapshotCopy,
] as const;

// A saved snapshot is recorded on its clip first; its own stream follows.
const onSnapshotTaken: Reactor = (event): FollowUp[] => {
  const data = event.data as SnapshotTaken['data'];
  return [
    { command: 'item.materialize_snapshot', payload: { item_id: data.snapshotItemId, clip_id: data.itemId } },
  ];
};

// A copy of a snapshot must be known to its clip, or a later save_snapshot
// into the copy's folder would make a second snapshot of that frame there.
const onItemCopied: Reactor = (event): FollowUp[] => {
  const data = event.data as ItemCopied['data'];
  if (data.snapshotOf === null) return [];
  return [
    {
      command: 'item.link_snapshot_copy',
      payload: { item_id: data.snapshotOf.clipItemId, snapshot_item_id: data.itemId },
    },
  ];
};

export const itemSlice = defineSlice({
  aggregates: [itemAggregate],
  commands: itemCommands,
  reactors: { SnapshotTaken: onSnapshotTaken, ItemCopied: onItemCopied },
  eventVersions: itemEventVersions,
});
