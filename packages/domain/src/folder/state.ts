import { match } from 'ts-pattern';
import type { Aggregate } from '../kernel/index.ts';
import { caselessKey } from './case-folding.ts';
import type { FolderTreeEvent } from './events.ts';

// One stream per user holds that user's whole folder tree: sibling-name
// uniqueness and acyclicity are rules about the whole tree, so they can only
// be kept by one consistency boundary. Two concurrent commands on one tree
// conflict on the expected revision and cannot both pass.

export interface FolderNode {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  // Deleted folders stay as tombstones so their ids are never reused.
  readonly deleted: boolean;
}

export interface FolderTreeState {
  readonly folders: Readonly<Record<string, FolderNode>>;
}

export const initialFolderTree: FolderTreeState = { folders: {} };

/**
 * The key under which sibling names must be unique (DOMAIN.md §3): trimmed,
 * then a canonical caseless match (full Unicode case folding between NFDs,
 * ./case-folding.ts). Only compared, never stored or shown.
 */
export function nameKey(name: string): string {
  let key = knownKeys.get(name);
  if (key === undefined) {
    key = caselessKey(name.trim());
    // A pure function's answers, remembered: a sibling check compares the
    // new name with every sibling's, and folding each of thousands of
    // sibling names again for every command was most of folder.create's CPU.
    if (knownKeys.size >= maxKnownKeys) knownKeys.clear();
    knownKeys.set(name, key);
  }
  return key;
}
const knownKeys = new Map<string, string>();
const maxKnownKeys = 100_000;

/** The live folder directly under `parentId` whose name has `key`, other than `except`; walks the tree without copying it. */
export function liveSiblingNamed(
  tree: FolderTreeState,
  parentId: string | null,
  key: string,
  except?: string,
): FolderNode | undefined {
  for (const node of Object.values(tree.folders))
    if (!node.deleted && node.parentId === parentId && node.id !== except && nameKey(node.name) === key)
      return node;
  return undefined;
}

type MutableFolders = Record<string, FolderNode>;

// The rules of each event, applied to a private copy of the folders. `evolve`
// copies once per event; `evolveAll` copies once per batch, which keeps a
// cold load of a 10k-folder tree linear instead of quadratic.
function apply(folders: MutableFolders, event: FolderTreeEvent): void {
  match(event)
    .with({ type: 'FolderCreated' }, ({ data }) => {
      folders[data.folderId] = {
        id: data.folderId,
        name: data.name,
        parentId: data.parentId,
        deleted: false,
      };
    })
    .with({ type: 'FolderRenamed' }, ({ data }) => {
      const node = folders[data.folderId];
      if (node) folders[data.folderId] = { ...node, name: data.name };
    })
    .with({ type: 'FolderMoved' }, ({ data }) => {
      const node = folders[data.folderId];
      if (node) folders[data.folderId] = { ...node, parentId: data.parentId };
    })
    .with({ type: 'FolderDeleted' }, ({ data }) => {
      for (const id of data.deletedFolderIds) {
        const node = folders[id];
        if (node) folders[id] = { ...node, deleted: true };
      }
    })
    .exhaustive();
}

function evolve(state: FolderTreeState, event: FolderTreeEvent): FolderTreeState {
  const folders: MutableFolders = { ...state.folders };
  apply(folders, event);
  return { folders };
}

function evolveAll(state: FolderTreeState, events: readonly FolderTreeEvent[]): FolderTreeState {
  if (events.length === 0) return state;
  const folders: MutableFolders = { ...state.folders };
  for (const event of events) apply(folders, event);
  return { folders };
}

export const folderTreeAggregate: Aggregate<FolderTreeState, FolderTreeEvent> = {
  category: 'foldertree',
  initial: initialFolderTree,
  evolve,
  evolveAll,
};

export interface LiveFolder {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
}

/**
 * The folder if it is in this tree and not deleted. Deleting a folder deletes
 * its subtree too (the FolderDeleted event lists every folder it took).
 */
export function liveFolder(tree: FolderTreeState, folderId: string): LiveFolder | undefined {
  // Own-property check: a folder id such as "constructor" must not find Object.prototype members.
  if (!Object.hasOwn(tree.folders, folderId)) return undefined;
  const node = tree.folders[folderId];
  if (!node || node.deleted) return undefined;
  return { id: node.id, name: node.name, parentId: node.parentId };
}

/** The folder and every live folder below it, the folder first. */
export function subtreeIds(tree: FolderTreeState, folderId: string): string[] {
  // One pass builds the children of every folder, so a subtree of any size
  // costs O(tree), not O(tree) per folder in it.
  const children = new Map<string | null, string[]>();
  for (const node of Object.values(tree.folders)) {
    if (node.deleted) continue;
    const siblings = children.get(node.parentId);
    if (siblings) siblings.push(node.id);
    else children.set(node.parentId, [node.id]);
  }
  // Each folder is taken once, so even a broken history with a cycle ends.
  const ids = [folderId];
  const seen = new Set(ids);
  for (let i = 0; i < ids.length; i++) {
    for (const child of children.get(ids[i] as string) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      ids.push(child);
    }
  }
  return ids;
}

/** Whether `candidateId` is `folderId` itself or lies somewhere below it. */
export function isInSubtree(tree: FolderTreeState, folderId: string, candidateId: string): boolean {
  // Walking up from the candidate is bounded by the tree's size, even if a
  // history were ever broken, so a malformed stream cannot hang a decision.
  const seen = new Set<string>();
  let current: string | null = candidateId;
  while (current !== null && !seen.has(current)) {
    if (current === folderId) return true;
    seen.add(current);
    current = liveFolder(tree, current)?.parentId ?? null;
  }
  return false;
}
