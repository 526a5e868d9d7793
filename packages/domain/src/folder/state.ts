import { Map as PersistentMap } from 'immutable';
import { type Aggregate, evolveByType, isGeneratedId } from '../kernel/index.ts';
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

/**
 * Persistent maps (immutable.js): applying an event shares everything it
 * does not change with the state before it, so a command on a tree of 10k
 * folders costs what one on 10 folders costs. (A plain record had to be
 * copied whole for every event: milliseconds per command on a large tree.)
 */
export interface FolderTreeState {
  /** Every folder ever created in this tree, tombstones included, by id. */
  readonly folders: PersistentMap<string, FolderNode>;
  /**
   * The live folders by parent and name key (`siblingSlot`): what the
   * sibling-name rule asks for without walking the tree. Normally one id a
   * slot; a list so that even a history that broke the rule folds exactly.
   */
  readonly siblings: PersistentMap<string, readonly string[]>;
  /**
   * The tree holds a folder whose id was generated: its owner's creator tag
   * was registered (`idtag-<tag>`) before that folder was written, so the
   * next generated folder need not look.
   */
  readonly tagHeld: boolean;
}

export const initialFolderTree: FolderTreeState = {
  folders: PersistentMap(),
  siblings: PersistentMap(),
  tagHeld: false,
};

/** Where a live folder named `key` under `parentId` is indexed. */
const siblingSlot = (parentId: string | null, key: string): string => `${parentId ?? ''}/${key}`;

/**
 * The key under which sibling names must be unique (DOMAIN.md §3): trimmed,
 * then a canonical caseless match (full Unicode case folding between NFDs,
 * ./case-folding.ts). Only compared, never stored or shown.
 */
export function nameKey(name: string): string {
  let key = knownKeys.get(name);
  if (key === undefined) {
    key = caselessKey(name.trim());
    // A pure function's answers, remembered: every fold of a tree keys each
    // folder it places, and `camledger verify` keys every sibling of every
    // folder an event touches; case folding them again each time was most
    // of folder.create's CPU before the tree kept its sibling index.
    if (knownKeys.size >= maxKnownKeys) knownKeys.clear();
    knownKeys.set(name, key);
  }
  return key;
}
const knownKeys = new Map<string, string>();
const maxKnownKeys = 100_000;

/** The live folder directly under `parentId` whose name has `key`, other than `except`. */
export function liveSiblingNamed(
  tree: FolderTreeState,
  parentId: string | null,
  key: string,
  except?: string,
): FolderNode | undefined {
  for (const id of tree.siblings.get(siblingSlot(parentId, key)) ?? [])
    if (id !== except) return tree.folders.get(id);
  return undefined;
}

/** The tree being built by one fold: both maps changed in place while the fold lasts, then frozen. */
interface Building {
  folders: PersistentMap<string, FolderNode>;
  siblings: PersistentMap<string, readonly string[]>;
  tagHeld: boolean;
  /**
   * The live folders by parent: built by the first FolderDeleted a tree
   * meets (one pass over it), kept true by `put` from then on, and handed on
   * to the state the fold produces (`liveChildrenOf`). A history of many
   * deletions then folds in O(tree + what they took), even one event at a
   * time as the auditor folds, while a tree never deleted from (every
   * folder.create on it) never builds one.
   */
  children?: Map<string | null, Set<string>>;
}

function place(tree: Building, node: FolderNode): void {
  const slot = siblingSlot(node.parentId, nameKey(node.name));
  tree.siblings = tree.siblings.set(slot, [...(tree.siblings.get(slot) ?? []), node.id]);
}

function unplace(tree: Building, node: FolderNode): void {
  const slot = siblingSlot(node.parentId, nameKey(node.name));
  const rest = (tree.siblings.get(slot) ?? []).filter((id) => id !== node.id);
  tree.siblings = rest.length > 0 ? tree.siblings.set(slot, rest) : tree.siblings.delete(slot);
}

/** Replaces a folder, keeping the sibling index true to what is live. */
function put(tree: Building, node: FolderNode): void {
  const old = tree.folders.get(node.id);
  if (old && !old.deleted) {
    unplace(tree, old);
    tree.children?.get(old.parentId)?.delete(old.id);
  }
  tree.folders = tree.folders.set(node.id, node);
  if (!node.deleted) {
    place(tree, node);
    if (tree.children) childrenUnder(tree.children, node.parentId).add(node.id);
  }
}

function childrenUnder(children: Map<string | null, Set<string>>, parentId: string | null): Set<string> {
  const under = children.get(parentId);
  if (under) return under;
  const fresh = new Set<string>();
  children.set(parentId, fresh);
  return fresh;
}

function liveChildren(folders: Iterable<FolderNode>): Map<string | null, Set<string>> {
  const children = new Map<string | null, Set<string>>();
  for (const node of folders) if (!node.deleted) childrenUnder(children, node.parentId).add(node.id);
  return children;
}

/** `folderId` and every folder below it in `children`, the folder first; each taken once, so even a cycle ends. */
function withDescendants(children: Map<string | null, Set<string>>, folderId: string): string[] {
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

// The rules of each event, applied to the tree being built (and handed back).
const apply = evolveByType<Building, FolderTreeEvent>({
  FolderCreated: (tree, { data }) => {
    put(tree, { id: data.folderId, name: data.name, parentId: data.parentId, deleted: false });
    if (!tree.tagHeld && isGeneratedId(data.folderId)) tree.tagHeld = true;
    return tree;
  },
  FolderRenamed: (tree, { data }) => {
    const node = tree.folders.get(data.folderId);
    if (node) put(tree, { ...node, name: data.name });
    return tree;
  },
  FolderMoved: (tree, { data }) => {
    const node = tree.folders.get(data.folderId);
    if (node) put(tree, { ...node, parentId: data.parentId });
    return tree;
  },
  FolderDeleted: (tree, { data }) => {
    tree.children ??= liveChildren(tree.folders.values());
    // The whole subtree as it stands here, listed before any of it changes.
    for (const id of withDescendants(tree.children, data.folderId)) {
      const node = tree.folders.get(id);
      if (node) put(tree, { ...node, deleted: true });
    }
    return tree;
  },
});

function evolveAll(state: FolderTreeState, events: readonly FolderTreeEvent[]): FolderTreeState {
  if (events.length === 0) return state;
  // One batch of changes: immutable.js then builds each map once, not once per event.
  let siblings = state.siblings;
  let tagHeld = state.tagHeld;
  // Taken from the state it belonged to: the fold changes it in place, so it
  // can only ever describe one state. Folding an older state again (another
  // branch) finds none and builds its own.
  let children = liveChildrenOf.get(state);
  liveChildrenOf.delete(state);
  const folders = state.folders.withMutations((foldersBeingBuilt) => {
    siblings = state.siblings.withMutations((siblingsBeingBuilt) => {
      const tree: Building = {
        folders: foldersBeingBuilt,
        siblings: siblingsBeingBuilt,
        tagHeld,
        ...(children ? { children } : {}),
      };
      for (const event of events) apply(tree, event);
      tagHeld = tree.tagHeld;
      children = tree.children;
    });
  });
  const next: FolderTreeState = { folders, siblings, tagHeld };
  if (children) liveChildrenOf.set(next, children);
  return next;
}

/**
 * The live-children index of a folded tree, kept beside the state rather
 * than in it: the state stays a plain value (equal states compare equal,
 * and nothing that reads or copies a state sees it), and the index is only
 * an aid to folding the next deletion.
 */
const liveChildrenOf = new WeakMap<FolderTreeState, Map<string | null, Set<string>>>();

const evolve = Object.assign(
  (state: FolderTreeState, event: FolderTreeEvent): FolderTreeState => evolveAll(state, [event]),
  { eventTypes: apply.eventTypes },
);

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
 * its subtree too (the fold of FolderDeleted marks every live folder below it).
 */
export function liveFolder(tree: FolderTreeState, folderId: string): LiveFolder | undefined {
  const node = tree.folders.get(folderId);
  if (!node || node.deleted) return undefined;
  return { id: node.id, name: node.name, parentId: node.parentId };
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
