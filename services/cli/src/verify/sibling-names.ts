import { type FolderTreeState, nameKey } from '../domain.ts';
import type { HistoryCheck } from './across-aggregates.ts';
import { touchedFolder } from './checks.ts';

/**
 * No two live folders under one parent share a name (trimmed, NFC,
 * case-insensitive: the domain's `nameKey`), checked after every creation,
 * rename or move. It does not ask the tree's own sibling index (the check
 * must not trust what it checks), nor walk the whole tree each time (40,000
 * folders took minutes). It remembers every folder it saw placed, by tree,
 * parent and name key, and checks those of the same slot against the tree
 * as folded now: one that has moved, been renamed or deleted since is
 * forgotten there. A folder changes place or name only by an event of its
 * own, which files it again, so every live folder is in its slot.
 */
export function siblingNamesUnique(): HistoryCheck {
  const placed = new Map<string, Set<string>>();
  return {
    step({ event, after, recorded }) {
      const folderId = touchedFolder(event);
      if (!folderId) return null;
      const tree = after as FolderTreeState;
      const folder = tree.folders.get(folderId);
      if (!folder || folder.deleted) return null;
      const key = nameKey(folder.name);
      const slot = `${recorded.stream}\u0000${folder.parentId ?? ''}\u0000${key}`;
      const ids = placed.get(slot) ?? new Set<string>();
      placed.set(slot, ids);
      let twin: string | undefined;
      for (const id of ids) {
        if (id === folderId) continue;
        const other = tree.folders.get(id);
        if (!other || other.deleted || other.parentId !== folder.parentId || nameKey(other.name) !== key)
          ids.delete(id);
        else twin ??= id;
      }
      ids.add(folderId);
      return twin ? `folder ${folderId} is named "${folder.name}" like its sibling ${twin}` : null;
    },
  };
}
