import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../kernel/index.ts';
import { fld } from '../testing/fixtures/folder.ts';
import type { FolderTreeEvent } from './events.ts';
import { type FolderTreeState, folderTreeAggregate, liveSiblingNamed, nameKey } from './state.ts';

// The tree keeps an index of live folders by parent and name key, so the
// sibling-name rule needs no walk over the tree. Whatever history it folds,
// even one that broke the rule (two live siblings of one name, events about
// folders that never existed), the index must answer what a walk would.

const ids = [1, 2, 3, 4, 5, 6].map(fld);
const idArb = fc.constantFrom(...ids);
const parentArb = fc.option(idArb, { nil: null });
const nameArb = fc.constantFrom('Garden', 'garden ', ' GARDEN', 'Shed', 'Caf\u00e9', 'Cafe\u0301', 'x');

const eventArb: fc.Arbitrary<FolderTreeEvent> = fc.oneof(
  fc
    .record({ folderId: idArb, name: nameArb, parentId: parentArb })
    .map((d) => ({ type: 'FolderCreated' as const, data: { ...d, ownerId: 'usr_owner' } })),
  fc.record({ folderId: idArb, name: nameArb }).map((d) => ({ type: 'FolderRenamed' as const, data: d })),
  fc.record({ folderId: idArb, parentId: parentArb }).map((d) => ({ type: 'FolderMoved' as const, data: d })),
  idArb.map((folderId) => ({ type: 'FolderDeleted' as const, data: { folderId } })),
);

/** The answer by walking every folder, as the rule reads. */
const walked = (tree: FolderTreeState, parentId: string | null, key: string, except?: string) =>
  [...tree.folders.values()].filter(
    (f) => !f.deleted && f.parentId === parentId && f.id !== except && nameKey(f.name) === key,
  );

describe('the sibling index of a folder tree', () => {
  it('finds a live sibling exactly when a walk over the tree does, folded at once or event by event', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 30 }),
        parentArb,
        nameArb,
        fc.option(idArb, { nil: undefined }),
        (events, parentId, name, except) => {
          const key = nameKey(name);
          const atOnce = fold(folderTreeAggregate, events);
          const oneByOne = events.reduce(
            (tree, event) => folderTreeAggregate.evolve(tree, event),
            folderTreeAggregate.initial,
          );
          for (const tree of [atOnce, oneByOne]) {
            const found = liveSiblingNamed(tree, parentId, key, except);
            const expected = walked(tree, parentId, key, except);
            if (expected.length === 0) expect(found).toBeUndefined();
            else expect(expected).toContainEqual(found);
          }
          expect(oneByOne.folders.toObject()).toEqual(atOnce.folders.toObject());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a deletion takes the folder and every live folder whose live parents lead up to it, nothing else', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 30 }), idArb, (events, doomed) => {
        const before = fold(folderTreeAggregate, events);
        const after = folderTreeAggregate.evolve(before, {
          type: 'FolderDeleted',
          data: { folderId: doomed },
        });
        const leadsUp = (id: string): boolean => {
          const seen = new Set<string>();
          for (let at = before.folders.get(id)?.parentId ?? null; at !== null && !seen.has(at); ) {
            if (at === doomed) return true;
            seen.add(at);
            const parent = before.folders.get(at);
            if (!parent || parent.deleted) return false;
            at = parent.parentId;
          }
          return false;
        };
        for (const folder of before.folders.values()) {
          const taken = folder.id === doomed || (!folder.deleted && leadsUp(folder.id));
          expect(after.folders.get(folder.id), folder.id).toEqual({
            ...folder,
            deleted: folder.deleted || taken,
          });
        }
        expect(after.folders.size).toBe(before.folders.size);
      }),
      { numRuns: 500 },
    );
  });

  it('folds two branches from one state as two fresh folds would (the deletion index is never shared)', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 20 }),
        fc.array(eventArb, { maxLength: 10 }),
        fc.array(eventArb, { maxLength: 10 }),
        (trunk, left, right) => {
          const fork = trunk.reduce(folderTreeAggregate.evolve, folderTreeAggregate.initial);
          const leftTip = left.reduce(folderTreeAggregate.evolve, fork);
          const rightTip = right.reduce(folderTreeAggregate.evolve, fork);
          const afterFork = fork.folders.toObject();
          // Events after the fork again, on each branch, so both tips keep folding.
          const both = [...left, ...right];
          const tips = [
            both.reduce(folderTreeAggregate.evolve, leftTip),
            both.reduce(folderTreeAggregate.evolve, rightTip),
          ];
          expect(tips[0]?.folders.toObject()).toEqual(
            fold(folderTreeAggregate, [...trunk, ...left, ...both]).folders.toObject(),
          );
          expect(tips[1]?.folders.toObject()).toEqual(
            fold(folderTreeAggregate, [...trunk, ...right, ...both]).folders.toObject(),
          );
          expect(fork.folders.toObject()).toEqual(afterFork);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves the state it folded from as it was', () => {
    const before = fold(folderTreeAggregate, [
      {
        type: 'FolderCreated' as const,
        data: { folderId: fld(1), ownerId: 'usr_owner', name: 'Garden', parentId: null },
      },
    ]);
    folderTreeAggregate.evolve(before, {
      type: 'FolderRenamed' as const,
      data: { folderId: fld(1), name: 'Shed' },
    });
    expect(before.folders.get(fld(1))?.name).toBe('Garden');
    expect(liveSiblingNamed(before, null, nameKey('garden'))?.id).toBe(fld(1));
    expect(liveSiblingNamed(before, null, nameKey('shed'))).toBeUndefined();
  });
});
