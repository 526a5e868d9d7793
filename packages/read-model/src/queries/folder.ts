import { queryPayloads, type Rejected } from '@camledger/domain';
import type { Sql } from '../store/port.ts';
import { listPage, pageOf } from './paging.ts';
import { defineQuery, found, refused } from './query.ts';

// Folders: the actor's own tree. A deleted folder (and everything below
// it) is not found for anyone; another user's live folder is 4001.

interface FolderRow {
  readonly folder_id: string;
  readonly owner_id: string;
  readonly name: string;
  readonly parent_id: string | null;
  readonly subfolder_count: number;
  readonly item_count: number;
}

/** A folder with its counts: live subfolders, and items filed directly in it. */
const folderView = `SELECT f.folder_id, f.owner_id, f.name, f.parent_id,
    (SELECT count(*) FROM folders c WHERE c.parent_id = f.folder_id AND NOT c.deleted) AS subfolder_count,
    (SELECT count(*) FROM items i WHERE i.folder_id = f.folder_id) AS item_count
  FROM folders f`;

const shown = (f: FolderRow) => ({
  folder_id: f.folder_id,
  name: f.name,
  parent_id: f.parent_id ?? 0,
  subfolder_count: Number(f.subfolder_count),
  item_count: Number(f.item_count),
});

async function ownFolder(db: Sql, actor: string, folder_id: string): Promise<FolderRow | Rejected> {
  const [row] = await db.query<FolderRow>(`${folderView} WHERE f.folder_id = $1 AND NOT f.deleted`, [
    folder_id,
  ]);
  if (!row) return refused('FolderNotFound', { folder_id });
  if (row.owner_id !== actor) return refused('SubfoldersViewForbidden', { folder_id });
  return row;
}

const isRejected = (value: object): value is Rejected => (value as { ok?: unknown }).ok === false;

export const folderGet = defineQuery({
  name: 'folder.get',
  payload: queryPayloads['folder.get'],
  async run({ db, actor }, { folder_id }) {
    const folder = await ownFolder(db, actor, folder_id);
    return isRejected(folder) ? folder : found(shown(folder));
  },
});

export const folderGetList = defineQuery({
  name: 'folder.get_list',
  payload: queryPayloads['folder.get_list'],
  async run({ db, actor }, p) {
    if (p.parent_id !== null) {
      const parent = await ownFolder(db, actor, p.parent_id);
      if (isRejected(parent)) return { ...parent, details: { parent_id: p.parent_id } };
    }
    const level = p.parent_id === null ? 'f.parent_id IS NULL' : 'f.parent_id = $2';
    const params = p.parent_id === null ? [actor] : [actor, p.parent_id];
    return found(
      await listPage<FolderRow>(
        db,
        'folders',
        pageOf(p),
        {
          select: `${folderView} WHERE f.owner_id = $1 AND ${level} AND NOT f.deleted ORDER BY f.name_key, f.folder_id`,
          count: `SELECT count(*) AS total FROM folders f WHERE f.owner_id = $1 AND ${level} AND NOT f.deleted`,
          params,
        },
        shown,
      ),
    );
  },
});
