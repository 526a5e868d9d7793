import { match } from 'ts-pattern';
import {
  type ElsewhereFolder,
  type FolderTreeState,
  folderTreeAggregate,
  liveFolder,
  loadElsewhere,
  locate,
} from '../folder/index.ts';
import type { CommandContext, Loaded, Rejected, StateReader } from '../kernel/index.ts';
import { isId, reject, streamName } from '../kernel/index.ts';
import { type ItemState, initialItem, itemAggregate } from './state.ts';

// What every item command reads, and the checks every one of them starts
// with, kept in one place so the order of answers (DOMAIN.md §3: 3000 before
// 3002, "never tell a user about another user's things before telling them
// they are not theirs") is the same for all of them.

/** An item and the folder tree of its owner, which decides whether its folder still exists. */
export interface LoadedItem {
  readonly item: Loaded<ItemState>;
  readonly ownerTree: FolderTreeState;
}

/** Reads an item; an id of the wrong form is never read, it is simply not found. */
export async function readItem(reader: StateReader, itemId: string): Promise<Loaded<ItemState>> {
  if (!isId('itm', itemId)) return { stream: streamName('item', itemId), state: initialItem, revision: -1 };
  return reader.read(itemAggregate, itemId);
}

export async function loadItem(reader: StateReader, itemId: string): Promise<LoadedItem> {
  const item = await readItem(reader, itemId);
  const ownerId = item.state.ownerId;
  const ownerTree = ownerId
    ? (await reader.read(folderTreeAggregate, ownerId)).state
    : folderTreeAggregate.initial;
  return { item, ownerTree };
}

/**
 * Where an item is for everyone: `none` when it was never recorded, was
 * deleted for good, or its folder (or an ancestor) was deleted — deleting a
 * folder takes its items for good without writing to their streams.
 */
export function presence({ item, ownerTree }: LoadedItem): 'none' | 'live' | 'trashed' {
  const { state } = item;
  if (state.status === 'trashed') return 'trashed';
  if (state.status !== 'live') return 'none';
  if (state.folderId !== null && liveFolder(ownerTree, state.folderId) === undefined) return 'none';
  return 'live';
}

/**
 * The item exists and is the actor's (3000, 3002), whether in the trash or
 * not: delete and restore. Another user's item answers 3002 whether it is in
 * their trash or not, so a non-owner learns nothing about its state.
 */
export function checkOwnItem(loaded: LoadedItem, ctx: CommandContext): Rejected | undefined {
  const item_id = idOf(loaded);
  if (presence(loaded) === 'none') return reject('ItemNotFound', { item_id });
  if (loaded.item.state.ownerId !== ctx.actor) return reject('NotItemOwner', { item_id });
  return undefined;
}

/** As checkOwnItem, and the owner's item in the trash is not found (3000): every command but delete and restore. */
export function checkOwnLiveItem(loaded: LoadedItem, ctx: CommandContext): Rejected | undefined {
  const notOwn = checkOwnItem(loaded, ctx);
  if (notOwn) return notOwn;
  if (presence(loaded) === 'trashed')
    return reject('ItemNotFound', { item_id: idOf(loaded), in_trash: true });
  return undefined;
}

const idOf = (loaded: LoadedItem): string => loaded.item.stream.slice('item-'.length);

/**
 * What tells whose a destination folder is: the actor's own tree, and when
 * the folder is not there, wherever else the folder slice finds it
 * (`loadElsewhere`: the one place that knows how a folder id is located).
 */
export interface LoadedDestination {
  readonly folderId: string;
  readonly actorTree: FolderTreeState;
  readonly elsewhere: ElsewhereFolder | null;
}

export async function loadDestination(
  reader: StateReader,
  actorTree: FolderTreeState,
  actor: string,
  folderId: string,
): Promise<LoadedDestination> {
  return { folderId, actorTree, elsewhere: await loadElsewhere(reader, actor, actorTree, folderId) };
}

/** Loads the destination only when the actor owns the item: for anyone else decide stops at 3002 first. */
export async function loadDestinationFor(
  reader: StateReader,
  loaded: LoadedItem,
  ctx: CommandContext,
  folderId: string,
): Promise<LoadedDestination | null> {
  if (loaded.item.state.ownerId !== ctx.actor) return null;
  return loadDestination(reader, loaded.ownerTree, ctx.actor, folderId);
}

/**
 * The destination must be a live folder of the actor's own tree. A folder id
 * that is someone else's live folder answers 3004; anything else (unknown,
 * malformed, deleted, of another kind) 3005, so a deleted folder of another
 * user is as absent as one that never was.
 */
export function checkDestination(destination: LoadedDestination | null): Rejected | undefined {
  if (destination === null) return reject('TargetFolderMissing', { folder_id: null });
  const { folderId, actorTree, elsewhere } = destination;
  return match(locate(actorTree, elsewhere, folderId))
    .with({ kind: 'own' }, () => undefined)
    .with({ kind: 'someone_else' }, () => reject('FolderNotUsers', { folder_id: folderId }))
    .with({ kind: 'nowhere' }, () => reject('TargetFolderMissing', { folder_id: folderId }))
    .exhaustive();
}
