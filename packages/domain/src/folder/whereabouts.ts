import { match } from 'ts-pattern';
import { directoryAggregate, idTagAggregate } from '../directory/index.ts';
import {
  type CommandContext,
  creatorTagOf,
  isId,
  type Loaded,
  type Rejected,
  reject,
  type StateReader,
} from '../kernel/index.ts';
import { type FolderTreeState, folderTreeAggregate, type LiveFolder, liveFolder } from './state.ts';

// A folder id that is not in the actor's tree is either another user's folder
// (4002 / 4102) or nothing at all (4000 / 4100). Whose it is: for an id a
// client chose, its directory entry says; a generated id carries its
// creator's tag, and `idtag-<tag>` lists the users to look at. The owner's
// tree then says whether that folder is still live there.

/** The tree of another user whose folder an id is; null when it is nobody else's. */
export interface ElsewhereFolder {
  readonly owner: string;
  readonly tree: FolderTreeState;
}

/** load: where to look for `folderId` besides the actor's own tree. */
export async function loadElsewhere(
  reader: StateReader,
  actor: string,
  ownTree: FolderTreeState,
  folderId: string | null,
): Promise<ElsewhereFolder | null> {
  // Ids of the wrong form are simply not found (DOMAIN.md §1) and never
  // become a stream name; ids the actor's own tree knows need no lookup.
  if (folderId === null || !isId('fld', folderId) || ownTree.folders.has(folderId)) return null;
  const tag = creatorTagOf(folderId);
  if (tag !== null) {
    for (const user of (await reader.read(idTagAggregate, tag)).state.users) {
      if (user === actor) continue;
      const tree = (await reader.read(folderTreeAggregate, user)).state;
      if (tree.folders.has(folderId)) return { owner: user, tree };
    }
    return null;
  }
  const entry = (await reader.read(directoryAggregate, folderId)).state;
  if (entry.kind !== 'folder' || entry.owner === null || entry.owner === actor) return null;
  const tree = (await reader.read(folderTreeAggregate, entry.owner)).state;
  return { owner: entry.owner, tree };
}

export type Whereabouts =
  | { readonly kind: 'own'; readonly folder: LiveFolder }
  | { readonly kind: 'someone_else' }
  | { readonly kind: 'nowhere' };

/** decide: is `folderId` a live folder of the actor's, of someone else's, or of nobody's? */
export function locate(
  ownTree: FolderTreeState,
  elsewhere: ElsewhereFolder | null,
  folderId: string,
): Whereabouts {
  const own = liveFolder(ownTree, folderId);
  if (own) return { kind: 'own', folder: own };
  if (elsewhere && liveFolder(elsewhere.tree, folderId)) return { kind: 'someone_else' };
  return { kind: 'nowhere' };
}

/**
 * decide, for the commands that act on one of the actor's folders (rename,
 * move, delete): the live folder, or the answer a user gets when it is not
 * theirs (4002) or not there at all (4000).
 */
export function ownFolderOr(
  ownTree: FolderTreeState,
  elsewhere: ElsewhereFolder | null,
  folderId: string,
): { readonly folder: LiveFolder } | Rejected {
  return match(locate(ownTree, elsewhere, folderId))
    .with({ kind: 'own' }, ({ folder }) => ({ folder }))
    .with({ kind: 'someone_else' }, () => reject('NotFolderOwner', { folder_id: folderId }))
    .with({ kind: 'nowhere' }, () => reject('FolderNotFound', { folder_id: folderId }))
    .exhaustive();
}

/** load, for rename and delete: the actor's tree, and where else the folder might be. */
export async function loadOwnTreeFor(
  reader: StateReader,
  ctx: CommandContext,
  folderId: string,
): Promise<{ tree: Loaded<FolderTreeState>; elsewhere: ElsewhereFolder | null }> {
  const actor = String(ctx.actor);
  const tree = await reader.read(folderTreeAggregate, actor);
  return { tree, elsewhere: await loadElsewhere(reader, actor, tree.state, folderId) };
}
