import type {
  Frame,
  ItemCopied,
  ItemFlagSet,
  ItemMoved,
  ItemPurged,
  ItemRecorded,
  ItemRestored,
  ItemTrashed,
  ItemUpdated,
  SnapshotItemCreated,
} from '@camledger/domain';
import type { Sql } from '../store/port.ts';
import { dataOf, type Handlers } from './projected-event.ts';

// items and frames: an item has a row from its creation until it is purged,
// and every event on it is applied to its row. The trash is the item's
// `trashed_at` (it has left its folder: folder_id is NULL then). An item
// filed in a deleted folder keeps its row and is hidden by the queries
// (`visibleItem`), as the commands hide it: the log can still move it out
// or trash it afterwards (a move or delete decided as the folder was being
// deleted), and then it is back for the commands and so for the queries.
// SnapshotTaken and SnapshotCopyLinked only record, on the clip, what the
// snapshot's own stream then says; the row comes from that stream.

async function insertFrames(tx: Sql, itemId: string, frames: readonly Frame[]): Promise<void> {
  // One statement for up to 10,000 frames: arrays of columns, unnested.
  await tx.query(
    `INSERT INTO frames (item_id, seq, identifier, datetime, milliseconds)
     SELECT $1, f.seq, f.identifier, f.datetime, f.milliseconds
     FROM unnest($2::int[], $3::text[], $4::text[], $5::int[]) AS f(seq, identifier, datetime, milliseconds)
     ON CONFLICT (item_id, seq) DO NOTHING`,
    [
      itemId,
      frames.map((_, i) => i),
      frames.map((f) => f.identifier),
      frames.map((f) => f.datetime),
      frames.map((f) => f.milliseconds),
    ],
  );
}

async function removeItem(tx: Sql, itemId: string): Promise<void> {
  await tx.query('DELETE FROM frames WHERE item_id = $1', [itemId]);
  await tx.query('DELETE FROM items WHERE item_id = $1', [itemId]);
}

/** Files the item into `folderId` (a deleted one hides it). */
async function placeItem(tx: Sql, itemId: string, folderId: string | null): Promise<void> {
  await tx.query('UPDATE items SET folder_id = $2, trashed_at = NULL WHERE item_id = $1', [itemId, folderId]);
}

const insertItem = `INSERT INTO items (item_id, owner_id, camera_id, kind, folder_id, label, note, flagged,
    is_alert, start_datetime, end_datetime, frame_count, source_item_id, identifier)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (item_id) DO NOTHING`;

export const itemHandlers: Handlers = {
  async ItemRecorded(tx, event) {
    const d = dataOf<ItemRecorded['data']>(event);
    await tx.query(insertItem, [
      d.itemId,
      d.ownerId,
      d.cameraId,
      'clip',
      null,
      '',
      '',
      false,
      d.isAlert,
      d.startDatetime,
      d.endDatetime,
      d.frames.length,
      null,
      null,
    ]);
    await insertFrames(tx, d.itemId, d.frames);
  },
  async ItemCopied(tx, event) {
    const d = dataOf<ItemCopied['data']>(event);
    await tx.query(insertItem, [
      d.itemId,
      d.ownerId,
      d.cameraId,
      d.kind,
      d.folderId,
      d.label,
      d.note,
      d.flagged,
      d.isAlert,
      d.startDatetime,
      d.endDatetime,
      d.frames.length,
      d.snapshotOf?.clipItemId ?? null,
      d.snapshotOf?.identifier ?? null,
    ]);
    await insertFrames(tx, d.itemId, d.frames);
  },
  async SnapshotItemCreated(tx, event) {
    const d = dataOf<SnapshotItemCreated['data']>(event);
    await tx.query(insertItem, [
      d.itemId,
      d.ownerId,
      d.cameraId,
      'snapshot',
      d.folderId,
      '',
      '',
      false,
      d.isAlert,
      d.frame.datetime,
      d.frame.datetime,
      1,
      d.clipItemId,
      d.identifier,
    ]);
    await insertFrames(tx, d.itemId, [d.frame]);
  },
  async ItemUpdated(tx, event) {
    const d = dataOf<ItemUpdated['data']>(event);
    await tx.query(
      'UPDATE items SET label = COALESCE($2, label), note = COALESCE($3, note) WHERE item_id = $1',
      [d.itemId, d.label ?? null, d.note ?? null],
    );
  },
  async ItemFlagSet(tx, event) {
    const d = dataOf<ItemFlagSet['data']>(event);
    await tx.query('UPDATE items SET flagged = $2 WHERE item_id = $1', [d.itemId, d.flagged]);
  },
  async ItemMoved(tx, event) {
    const d = dataOf<ItemMoved['data']>(event);
    await placeItem(tx, d.itemId, d.toFolderId);
  },
  async ItemTrashed(tx, event) {
    const d = dataOf<ItemTrashed['data']>(event);
    await tx.query('UPDATE items SET folder_id = NULL, trashed_at = $2 WHERE item_id = $1', [
      d.itemId,
      d.trashedAt,
    ]);
  },
  async ItemRestored(tx, event) {
    const d = dataOf<ItemRestored['data']>(event);
    await placeItem(tx, d.itemId, d.toFolderId);
  },
  async ItemPurged(tx, event) {
    await removeItem(tx, dataOf<ItemPurged['data']>(event).itemId);
  },
};
