import { runOn } from '@camledger/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyCommandHandler, Decision, DomainEvent } from '../kernel/index.ts';
import { fold } from '../kernel/index.ts';
import {
  alice,
  bob,
  bobsFolder,
  cameraOf,
  clipId,
  folderDeleted,
  folders,
  garden,
  shed,
  unknownFolder,
} from '../testing/fixtures/item.ts';
import { memoryReader, testContext, testId } from '../testing/index.ts';
import type { ItemEvent } from './events.ts';
import { itemSlice } from './index.ts';
import { type ItemState, itemAggregate } from './state.ts';

// Commands run through the runtime's command path (runOn): validate, load,
// decide, append, then the reactors' follow-ups as `system`. Run counts stay
// small so the whole file takes a few seconds.

const handlers = new Map<string, AnyCommandHandler>(itemSlice.commands.map((c) => [c.name, c]));
const day = 24 * 60 * 60 * 1000;
const start = Date.parse('2026-01-01T00:00:00.000Z');

class World {
  readonly streams: Record<string, readonly DomainEvent[]>;
  /** Item states kept up to date event by event, to compare with a replay from scratch. */
  readonly incremental = new Map<string, ItemState>();
  private nextId = 1000;

  constructor(given: Record<string, readonly DomainEvent[]>) {
    this.streams = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, [...v]]));
    for (const [stream, events] of Object.entries(this.streams))
      if (stream.startsWith('item-'))
        this.incremental.set(stream, fold(itemAggregate, events as ItemEvent[]));
  }

  /** One command through the runtime's command path (follow-ups included); what it stores joins `streams`. */
  async run(actor: string, command: string, payload: unknown, now: number): Promise<Decision> {
    const handler = handlers.get(command);
    if (!handler) throw new Error(`no handler for ${command}`);
    const { decision, appended, refusedFollowUps } = await runOn(this.streams, handler, payload, {
      actor,
      now,
      commandId: `cmd-${this.nextId}`,
      firstNewId: this.nextId,
    });
    this.nextId += 100;
    for (const { stream, event } of appended)
      if (stream.startsWith('item-'))
        this.incremental.set(
          stream,
          itemAggregate.evolve(this.incremental.get(stream) ?? itemAggregate.initial, event as ItemEvent),
        );
    expect(refusedFollowUps, 'every follow-up must succeed').toEqual([]);
    return decision;
  }

  append(stream: string, event: DomainEvent): void {
    this.streams[stream] = [...(this.streams[stream] ?? []), event];
  }
}

const frameIdArb = fc.string({ minLength: 27, maxLength: 64, unit: 'grapheme-ascii' });
const clipArb = fc.uniqueArray(frameIdArb, { minLength: 1, maxLength: 20 });

async function worldWithClip(identifiers: readonly string[] = ['f'.repeat(27)]): Promise<World> {
  const world = new World({ ...cameraOf(alice), ...folders });
  const recorded = await world.run(
    'system',
    'item.record',
    {
      item_id: clipId,
      camera_id: testId('cam', 1),
      start_datetime: '2026-01-01 00:00:00',
      end_datetime: '2026-01-01 00:10:00',
      is_alert: 0,
      frames: identifiers.map((identifier) => ({ identifier, datetime: '2026-01-01 00:00:01' })),
    },
    start,
  );
  expect(recorded.ok).toBe(true);
  return world;
}

describe('the trash window', () => {
  it('restore is accepted iff now < trashed_at + retention, to the millisecond, for any retention', async () => {
    const caseArb = fc.integer({ min: 1, max: 90 * day }).chain((retention) =>
      fc.record({
        retention: fc.constant(retention),
        // The boundary itself and its neighbours are what a careless comparison gets wrong.
        elapsed: fc.oneof(
          fc.constantFrom(retention - 1, retention, retention + 1),
          fc.integer({ min: 0, max: 2 * retention }),
        ),
        trashedAfter: fc.integer({ min: 0, max: 365 * day }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ retention, elapsed, trashedAfter }) => {
        const world = await worldWithClip();
        const trashedAt = start + trashedAfter;
        const thrown = await world.run(alice, 'item.delete', { item_id: clipId }, trashedAt);
        expect(thrown.code).toBe(13101);
        const handler = handlers.get('item.restore')!;
        const ctx = testContext({
          now: new Date(trashedAt + elapsed),
          config: { trashRetentionMs: retention },
        });
        const payload = handler.payload.parse({ item_id: clipId });
        const decision = handler.decide(
          payload,
          await handler.load(payload, ctx, memoryReader(world.streams)),
          ctx,
        );
        expect(decision.code).toBe(elapsed < retention ? 10000 : 3008);
      }),
      { numRuns: 200 },
    );
  });
});

describe('save_snapshot', () => {
  it('saving the same frame into the same folder again answers 13201 with the same item and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        clipArb.chain((ids) => fc.record({ ids: fc.constant(ids), frame: fc.constantFrom(...ids) })),
        fc.constantFrom(garden, shed),
        fc.boolean(),
        async ({ ids, frame }, folderId, elsewhereFirst) => {
          const world = await worldWithClip(ids);
          if (elsewhereFirst) {
            const other = folderId === garden ? shed : garden;
            await world.run(
              alice,
              'item.save_snapshot',
              { item_id: clipId, folder_id: other, identifier: frame },
              start,
            );
          }
          const payload = { item_id: clipId, folder_id: folderId, identifier: frame };
          const first = await world.run(alice, 'item.save_snapshot', payload, start);
          expect(first.code).toBe(13200);
          const before = JSON.stringify(world.streams);
          const again = await world.run(alice, 'item.save_snapshot', payload, start + 1);
          expect(again).toMatchObject({ ok: true, code: 13201, result: first.ok ? first.result : {} });
          expect(again.ok && again.write).toBeFalsy();
          expect(JSON.stringify(world.streams)).toBe(before);
        },
      ),
      { numRuns: 60 },
    );
  });
});

// Random sequences over Alice's items (Bob owns none of them), with time
// passing and Alice's folders being deleted under them.
type Step =
  | {
      readonly kind: 'command';
      readonly actor: string;
      readonly command: string;
      readonly pick: number;
      readonly args: Record<string, unknown>;
    }
  | { readonly kind: 'wait'; readonly ms: number }
  | { readonly kind: 'deleteFolder'; readonly folderId: string };

const folderArb = fc.constantFrom(garden, shed, bobsFolder, unknownFolder);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('command' as const),
      actor: fc.constantFrom(alice, alice, bob),
      command: fc.constantFrom(
        'item.update',
        'item.set_flag',
        'item.move',
        'item.copy',
        'item.save_snapshot',
        'item.delete',
        'item.delete',
        'item.restore',
      ),
      pick: fc.nat(20),
      args: fc.record({
        folder_id: folderArb,
        label: fc.string({ maxLength: 5 }),
        flagged: fc.constantFrom(0, 1),
        frame: fc.constantFrom('a', 'b', 'z'),
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(1, day, 31 * day) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deleteFolder' as const),
      folderId: fc.constantFrom(garden, shed),
    }),
  },
);

const frameOf = (letter: string) => letter.repeat(27);

async function play(
  steps: readonly Step[],
  onDecision: (step: Step, decision: Decision) => void,
): Promise<World> {
  const world = await worldWithClip([frameOf('a'), frameOf('b')]);
  const pool: string[] = [clipId];
  let now = start;
  for (const step of steps) {
    if (step.kind === 'wait') now += step.ms;
    else if (step.kind === 'deleteFolder') world.append(`foldertree-${alice}`, folderDeleted(step.folderId));
    else {
      const itemId = pool[step.pick % pool.length]!;
      const payload = {
        item_id: itemId,
        folder_id: step.args.folder_id,
        label: step.args.label,
        flagged: step.args.flagged,
        identifier: frameOf(String(step.args.frame)),
      };
      const decision = await world.run(step.actor, step.command, payload, now);
      onDecision(step, decision);
      const created = decision.ok ? decision.result.item_id : undefined;
      if (created && !pool.includes(created)) pool.push(created);
    }
  }
  return world;
}

describe('any sequence of item commands', () => {
  it('a command by someone who does not own the item never emits an event', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 30 }), async (steps) => {
        await play(steps, (step, decision) => {
          if (step.kind === 'command' && step.actor === bob) {
            expect(decision.ok && decision.write !== undefined).toBe(false);
            expect([3000, 3002]).toContain(decision.code);
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('replaying the events of every item stream from scratch rebuilds the same state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 30 }), async (steps) => {
        const world = await play(steps, () => {});
        for (const [stream, events] of Object.entries(world.streams)) {
          if (!stream.startsWith('item-')) continue;
          // Through JSON, as a store keeps them: events must survive it unchanged.
          const replayed = fold(itemAggregate, JSON.parse(JSON.stringify(events)) as ItemEvent[]);
          expect(replayed).toEqual(world.incremental.get(stream));
        }
      }),
      { numRuns: 150 },
    );
  });
});
