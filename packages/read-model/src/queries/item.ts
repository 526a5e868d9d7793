import { queryPayloads, type Rejected, trashWindowEndsAt } from '@camledger/domain';
import type { Sql } from '../store/port.ts';
import { listPage, pageOf } from './paging.ts';
import { apiDatetime, defineQuery, found, refused } from './query.ts';

// Items, their frames and the trash. An item without a row (purged), or
// filed in a deleted folder, is gone for everyone (3000). Another user's item is 3001 whether or not it is in the
// trash; the owner's item in the trash is 3000 to item.get (§4), and shows
// in trash.get_list instead.

export interface ItemRow {
  readonly item_id: string;
  readonly owner_id: string;
  readonly camera_id: string;
  readonly kind: 'clip' | 'snapshot';
  readonly folder_id: string | null;
  readonly label: string;
  readonly note: string;
  readonly flagged: boolean;
  readonly is_alert: boolean;
  readonly start_datetime: string;
  readonly end_datetime: string;
  readonly frame_count: number;
  readonly source_item_id: string | null;
  readonly identifier: string | null;
  readonly trashed_at: string | null;
}

export const shownItem = (row: ItemRow) => ({
  item_id: row.item_id,
  kind: row.kind,
  camera_id: row.camera_id,
  folder_id: row.folder_id,
  label: row.label,
  note: row.note,
  flagged: row.flagged,
  is_alert: row.is_alert,
  start_datetime: apiDatetime(row.start_datetime),
  end_datetime: apiDatetime(row.end_datetime),
  frame_count: row.frame_count,
  ...(row.kind === 'snapshot' ? { source_item_id: row.source_item_id, identifier: row.identifier } : {}),
});

/** The actor's own item, not in the trash; else the code §4 gives. */
async function viewableItem(db: Sql, actor: string, item_id: string): Promise<ItemRow | Rejected> {
  const [row] = await db.query<ItemRow>(
    `SELECT i.* FROM items i WHERE i.item_id = $1
       AND NOT EXISTS (SELECT 1 FROM folders f WHERE f.folder_id = i.folder_id AND f.deleted)`,
    [item_id],
  );
  if (!row) return refused('ItemNotFound', { item_id });
  if (row.owner_id !== actor) return refused('ItemViewForbidden', { item_id });
  if (row.trashed_at !== null) return refused('ItemNotFound', { item_id, in_trash: true });
  return row;
}

const isRejected = (value: object): value is Rejected => (value as { ok?: unknown }).ok === false;

export const itemGet = defineQuery({
  name: 'item.get',
  payload: queryPayloads['item.get'],
  async run({ db, actor }, { item_id }) {
    const item = await viewableItem(db, actor, item_id);
    return isRejected(item) ? item : found(shownItem(item));
  },
});

export const itemGetList = defineQuery({
  name: 'item.get_list',
  payload: queryPayloads['item.get_list'],
  async run({ db, actor }, p) {
    if (p.folder_id !== null) {
      const [folder] = await db.query<{ owner_id: string }>(
        'SELECT owner_id FROM folders WHERE folder_id = $1 AND NOT deleted',
        [p.folder_id],
      );
      if (!folder) return refused('FolderNotFound', { folder_id: p.folder_id });
      if (folder.owner_id !== actor) return refused('ItemViewForbidden', { folder_id: p.folder_id });
    }
    const params: unknown[] = [actor];
    const where = ['owner_id = $1', 'trashed_at IS NULL'];
    const add = (condition: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (p.folder_id === null) where.push('folder_id IS NULL');
    else add((n) => `folder_id = ${n}`, p.folder_id);
    if (p.datetime !== undefined) add((n) => `start_datetime < ${n}`, p.datetime);
    if (p.flagged !== undefined) add((n) => `flagged = ${n}`, p.flagged);
    if (p.is_alert !== undefined) add((n) => `is_alert = ${n}`, p.is_alert);
    if (p.camera_id !== undefined) add((n) => `camera_id = ${n}`, p.camera_id);
    const filter = where.join(' AND ');
    return found(
      await listPage<ItemRow>(
        db,
        'items',
        pageOf(p),
        {
          select: `SELECT * FROM items WHERE ${filter} ORDER BY start_datetime DESC, item_id`,
          count: `SELECT count(*) AS total FROM items WHERE ${filter}`,
          params,
        },
        shownItem,
      ),
    );
  },
});

export const itemGetFrames = defineQuery({
  name: 'item.get_frames',
  payload: queryPayloads['item.get_frames'],
  async run({ db, actor }, p) {
    const item = await viewableItem(db, actor, p.item_id);
    if (isRejected(item)) return item;
    return found(
      await listPage<{ identifier: string; datetime: string; milliseconds: number | null }>(
        db,
        'frames',
        pageOf(p, 100),
        {
          select: 'SELECT identifier, datetime, milliseconds FROM frames WHERE item_id = $1 ORDER BY seq',
          count: 'SELECT count(*) AS total FROM frames WHERE item_id = $1',
          params: [p.item_id],
        },
        (f) => ({
          identifier: f.identifier,
          datetime: apiDatetime(f.datetime),
          milliseconds: f.milliseconds,
        }),
      ),
    );
  },
});

export const trashGetList = defineQuery({
  name: 'trash.get_list',
  payload: queryPayloads['trash.get_list'],
  async run({ db, actor, trashRetentionMs }, p) {
    return found(
      await listPage<ItemRow>(
        db,
        'items',
        pageOf(p),
        {
          select:
            'SELECT * FROM items WHERE owner_id = $1 AND trashed_at IS NOT NULL ORDER BY trashed_at DESC, item_id',
          count: 'SELECT count(*) AS total FROM items WHERE owner_id = $1 AND trashed_at IS NOT NULL',
          params: [actor],
        },
        (row) => ({
          ...shownItem(row),
          trashed_at: apiDatetime(row.trashed_at as string),
          restorable_until: apiDatetime(
            new Date(trashWindowEndsAt(row.trashed_at as string, trashRetentionMs)).toISOString(),
          ),
        }),
      ),
    );
  },
});
