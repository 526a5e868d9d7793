import { runOn } from '@camledger/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Decision, type DomainEvent, fold } from '../kernel/index.ts';
import { alice, bob, fld, treeOf } from '../testing/fixtures/folder.ts';
import type { FolderTreeEvent } from './events.ts';
import { type FolderTreeState, folderTreeAggregate, liveFolder } from './state.ts';

// Random sequences of folder commands by two users over a small pool of ids
// and of names written in many ways (case, surrounding spaces, NFC or NFD),
// run through the runtime's command path: validate, load, decide, append,
// then the reactors' follow-ups. The properties below hold after every step.

const ids = [1, 2, 3, 4, 5].map(fld);
const users = [alice, bob] as const;

// Names that differ only in how they are written must clash; é and Ä have a
// decomposed (NFD) form, which is where a careless comparison goes wrong.
const baseNames = ['Garden', 'Caf\u00e9', '\u00c4rger', 'Shed'];
const nameArb = fc
  .record({
    base: fc.constantFrom(...baseNames),
    letterCase: fc.constantFrom('as-is', 'upper', 'lower'),
    form: fc.constantFrom('NFC', 'NFD'),
    before: fc.constantFrom('', ' ', '  ', '\t'),
    after: fc.constantFrom('', ' ', '\n'),
  })
  .map(({ base, letterCase, form, before, after }) => {
    const cased =
      letterCase === 'upper' ? base.toUpperCase() : letterCase === 'lower' ? base.toLowerCase() : base;
    return before + cased.normalize(form as 'NFC' | 'NFD') + after;
  });

// Alice acts most, so her tree grows deep enough for moves to matter.
const actorArb = fc.constantFrom(alice, alice, alice, bob);
const folderArb = fc.constantFrom(...ids);
const parentArb = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom<0 | '0'>(0, '0') },
  { weight: 3, arbitrary: folderArb },
);

type Step = { readonly actor: string; readonly command: string; readonly payload: Record<string, unknown> };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      actor: actorArb,
      command: fc.constant('folder.create'),
      // Mostly ids from the pool, so later commands find what earlier ones made;
      // sometimes none, so the id comes from the context.
      payload: fc.record({
        folder_id: fc.option(folderArb, { freq: 8, nil: undefined }),
        name: nameArb,
        parent_id: parentArb,
      }),
    }),
  },
  fc.record({
    actor: actorArb,
    command: fc.constant('folder.rename'),
    payload: fc.record({ folder_id: folderArb, name: nameArb }),
  }),
  fc.record({
    actor: actorArb,
    command: fc.constant('folder.move'),
    payload: fc.record({ folder_id: folderArb, parent_id: parentArb }),
  }),
  fc.record({
    actor: actorArb,
    command: fc.constant('folder.delete'),
    payload: fc.record({ folder_id: folderArb }),
  }),
);

const runs = { numRuns: 200 };
const sequenceArb = fc.array(stepArb, { minLength: 1, maxLength: 40, size: 'max' });

type Streams = Record<string, readonly DomainEvent[]>;

interface Outcome {
  readonly step: Step;
  readonly before: Readonly<Record<string, FolderTreeState>>;
  readonly decision: Decision;
}

/** One step through the runtime's command path (runOn): validate, load, decide, append, follow-ups. */
async function decideOn(streams: Streams, step: Step, actor: string, n: number): Promise<Decision> {
  // Ids a command creates count up per step, as distinct command ids would give.
  const { decision, refusedFollowUps } = await runOn(streams, step.command, step.payload, {
    actor,
    firstNewId: 100 + n * 100,
    commandId: `cmd-${n}`,
  });
  expect(refusedFollowUps, `${step.command}: every follow-up accepted`).toEqual([]);
  return decision;
}

/** Runs the steps one after another; each accepted command's follow-ups run before the next step. */
async function play(steps: readonly Step[]) {
  const streams: Streams = {};
  const outcomes: Outcome[] = [];
  const treeNow = (user: string) =>
    fold(folderTreeAggregate, (streams[treeOf(user)] ?? []) as FolderTreeEvent[]);
  for (const [n, step] of steps.entries()) {
    const before = Object.fromEntries(users.map((u) => [u, treeNow(u)]));
    const decision = await decideOn(streams, step, step.actor, n);
    outcomes.push({ step, before, decision });
  }
  return { streams, outcomes, treeNow };
}

// An oracle written apart from the slice: the key as DOMAIN.md words it,
// and a subtree collected downwards (the slice walks upwards).
const oracleKey = (name: string) => name.trim().normalize('NFC').toLocaleLowerCase('en-US');

function liveEntries(tree: FolderTreeState) {
  return [...tree.folders.values()].filter((f) => !f.deleted);
}

function descendants(tree: FolderTreeState, folderId: string): Set<string> {
  const found = new Set<string>();
  let frontier = [folderId];
  while (frontier.length > 0) {
    const next = liveEntries(tree)
      .filter((f) => f.parentId !== null && frontier.includes(f.parentId) && !found.has(f.id))
      .map((f) => f.id);
    for (const id of next) found.add(id);
    frontier = next;
  }
  return found;
}

const folderOf = (step: Step) => String(step.payload.folder_id);
const parentOf = (step: Step): string | null =>
  step.payload.parent_id === 0 || step.payload.parent_id === '0' ? null : String(step.payload.parent_id);

describe('folder trees under any sequence of commands', () => {
  it('no two live siblings ever share a name key, and a clashing create, rename or move is refused', async () => {
    await fc.assert(
      fc.asyncProperty(sequenceArb, async (steps) => {
        const { outcomes, treeNow } = await play(steps);
        for (const { step, before, decision } of outcomes) {
          const tree = before[step.actor] as FolderTreeState;
          const clashesUnder = (parentId: string | null, name: string, except?: string) =>
            liveEntries(tree).some(
              (f) => f.parentId === parentId && f.id !== except && oracleKey(f.name) === oracleKey(name),
            );
          const name = String(step.payload.name ?? '');
          if (step.command === 'folder.create' && decision.ok && decision.write)
            expect(clashesUnder(parentOf(step), name)).toBe(false);
          if (step.command === 'folder.create' && !decision.ok && decision.code === 4005)
            expect(clashesUnder(parentOf(step), name)).toBe(true);
          // A create with a fresh id under a live parent of one's own (or the top) clashes exactly when 4005.
          const parent = parentOf(step);
          const freshId = step.payload.folder_id === undefined;
          if (step.command === 'folder.create' && freshId && (parent === null || liveFolder(tree, parent)))
            expect(!decision.ok && decision.code === 4005).toBe(clashesUnder(parent, name));
          const own = liveFolder(tree, folderOf(step));
          if (step.command === 'folder.rename' && own && own.name !== name.trim().normalize('NFC'))
            expect(!decision.ok && decision.code === 4004).toBe(clashesUnder(own.parentId, name, own.id));
          if (step.command === 'folder.move' && own && decision.ok)
            expect(clashesUnder(parent, own.name, own.id)).toBe(false);
          if (step.command === 'folder.move' && !decision.ok && decision.code === 4004)
            expect(clashesUnder(parent, own?.name ?? '', own?.id)).toBe(true);
        }
        for (const user of users) {
          const keys = liveEntries(treeNow(user)).map((f) => `${f.parentId}/${oracleKey(f.name)}`);
          expect(new Set(keys).size).toBe(keys.length);
        }
      }),
      runs,
    );
  });

  it('stays a tree without cycles, and 4003 answers exactly the moves into the current parent, itself or its subtree', async () => {
    await fc.assert(
      fc.asyncProperty(sequenceArb, async (steps) => {
        const { outcomes, treeNow } = await play(steps);
        for (const { step, before, decision } of outcomes) {
          if (step.command !== 'folder.move') continue;
          const tree = before[step.actor] as FolderTreeState;
          const own = liveFolder(tree, folderOf(step));
          const parent = parentOf(step);
          const intoItselfOrBelow =
            own !== undefined &&
            (parent === own.parentId ||
              parent === own.id ||
              (parent !== null && descendants(tree, own.id).has(parent)));
          expect(!decision.ok && decision.code === 4003).toBe(intoItselfOrBelow);
        }
        for (const user of users) {
          const tree = treeNow(user);
          for (const folder of liveEntries(tree)) {
            // Every live folder reaches the top through live folders, in fewer steps than there are folders.
            let current: string | null = folder.id;
            let hops = 0;
            while (current !== null) {
              const node = liveFolder(tree, current);
              expect(node, `${current} is live`).toBeDefined();
              current = node?.parentId ?? null;
              hops += 1;
              expect(hops).toBeLessThanOrEqual(ids.length);
            }
          }
        }
      }),
      runs,
    );
  });

  it('replaying the recorded events rebuilds the same state, all at once or step by step', async () => {
    await fc.assert(
      fc.asyncProperty(sequenceArb, fc.nat(), async (steps, cut) => {
        const { streams, treeNow } = await play(steps);
        for (const user of users) {
          const events = (streams[treeOf(user)] ?? []) as FolderTreeEvent[];
          // Events go through JSON in every store, so replay what a store would hand back.
          const replayed = JSON.parse(JSON.stringify(events)) as FolderTreeEvent[];
          let stepwise = folderTreeAggregate.initial;
          for (const event of replayed) stepwise = folderTreeAggregate.evolve(stepwise, event);
          const at = events.length === 0 ? 0 : cut % (events.length + 1);
          const resumed = replayed
            .slice(at)
            .reduce(folderTreeAggregate.evolve, fold(folderTreeAggregate, replayed.slice(0, at)));
          expect(fold(folderTreeAggregate, replayed)).toEqual(treeNow(user));
          expect(stepwise).toEqual(treeNow(user));
          expect(resumed).toEqual(treeNow(user));
        }
      }),
      runs,
    );
  });

  it("a command naming another user's folder never records an event", async () => {
    await fc.assert(
      fc.asyncProperty(sequenceArb, async (steps) => {
        const { outcomes } = await play(steps);
        for (const { step, before, decision } of outcomes) {
          const other = users.find((u) => u !== step.actor) as string;
          const othersOnly = (id: string | null) =>
            id !== null &&
            liveFolder(before[other] as FolderTreeState, id) !== undefined &&
            !(before[step.actor] as FolderTreeState).folders.has(id);
          const folderIsOthers = step.command !== 'folder.create' && othersOnly(folderOf(step));
          const parentIsOthers =
            (step.command === 'folder.create' || step.command === 'folder.move') &&
            othersOnly(parentOf(step));
          if (!folderIsOthers && !parentIsOthers) continue;
          expect(decision.ok && (decision.write?.events.length ?? 0) > 0).toBe(false);
          const { code } = decision;
          // Someone else's folder is named as such (4002 / 4102), never as missing.
          if (folderIsOthers) expect(code).toBe(4002);
          else if (step.command === 'folder.create') expect([128, 4102]).toContain(code);
          else if (liveFolder(before[step.actor] as FolderTreeState, folderOf(step))) expect(code).toBe(4102);
        }
      }),
      runs,
    );
  });
});
