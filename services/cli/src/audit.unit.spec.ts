import { PassThrough } from 'node:stream';
import { type EventStore, memoryEventStore } from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { runAsOf, stateAsOf } from './as-of.ts';
import { history, runHistory } from './history.ts';
import { exitCodes, UsageError } from './output.ts';
import { replay, runReplay } from './replay.ts';
import { capture, idOf, user, write } from './test-history.ts';

const alice = user('A');
const bob = user('B');
const cam = idOf('cam', 1);
const itm = idOf('itm', 1);

async function smallHistory() {
  const store = memoryEventStore();
  await write(
    store,
    `camera-${cam}`,
    'CameraRegistered',
    { cameraId: cam, ownerId: alice, label: 'Porch', liveViewCapable: true },
    { actor: 'system', occurredAt: '2026-01-01T00:00:00.000Z' },
  );
  await write(
    store,
    `item-${itm}`,
    'ItemRecorded',
    {
      itemId: itm,
      cameraId: cam,
      ownerId: alice,
      startDatetime: '2026-01-01T09:00:00.000Z',
      endDatetime: '2026-01-01T09:00:10.000Z',
      isAlert: false,
      frames: [{ identifier: 'f'.repeat(27), datetime: '2026-01-01T09:00:00.000Z', milliseconds: null }],
    },
    { actor: 'system', occurredAt: '2026-01-01T09:00:10.000Z' },
  );
  const labelled = await write(
    store,
    `item-${itm}`,
    'ItemUpdated',
    { itemId: itm, label: 'Fox' },
    { actor: alice, occurredAt: '2026-01-02T10:00:00.000Z' },
  );
  await write(
    store,
    `item-${itm}`,
    'ItemUpdated',
    { itemId: itm, label: 'Badger' },
    { actor: alice, occurredAt: '2026-01-03T10:00:00.000Z' },
  );
  return { store, labelled };
}

describe('audit replay', () => {
  it('counts events by type and by stream category', async () => {
    const { store } = await smallHistory();
    const report = await replay(store, capture());
    expect(report).toMatchObject({
      events: 4,
      streams: 2,
      byType: { CameraRegistered: 1, ItemRecorded: 1, ItemUpdated: 2 },
      byCategory: { camera: 1, item: 3 },
      unfoldable: [],
    });
    expect(report.eventsPerSecond).toBeGreaterThan(0);
  });

  it('names by position an event the domain cannot fold, and exits 1', async () => {
    const { store } = await smallHistory();
    const odd = await write(store, `item-${itm}`, 'ItemTeleported', { itemId: itm }, { actor: alice });
    const nowhere = await write(store, 'gizmo-1', 'GizmoMade', {}, { actor: alice });
    const out = capture();
    expect(await runReplay(store, { json: true }, out)).toBe(exitCodes.failed);
    const report = JSON.parse(out.lines[0] as string);
    expect(report.unfoldable).toEqual([
      expect.objectContaining({
        position: odd.position,
        stream: `item-${itm}`,
        revision: 3,
        type: 'ItemTeleported',
      }),
      expect.objectContaining({
        position: nowhere.position,
        stream: 'gizmo-1',
        reason: 'no aggregate for category "gizmo"',
      }),
    ]);
    // gizmo-1 folded nothing but is a stream of the log all the same.
    expect(report.streams).toBe(3);
  });

  it('draws a progress bar on a terminal, and keeps stdout for the report', async () => {
    const { store } = await smallHistory();
    const drawn: string[] = [];
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    terminal.on('data', (chunk: Buffer) => drawn.push(chunk.toString()));
    const out = { ...capture(), tty: terminal as unknown as NodeJS.WriteStream };
    expect(await runReplay(store, {}, out)).toBe(exitCodes.ok);
    expect(drawn.join('')).toMatch(/replay \|.*\| 0 events/);
    // Never hidden: a Ctrl-C mid-bar ends the process without a chance to show it again.
    expect(drawn.join('')).not.toContain('\x1b[?25l');
    expect(out.errors).toEqual([]);
    expect(out.lines[0]).toMatch(/^4 events in 2 streams/);
  });

  it('prints plain progress lines when not on a terminal', async () => {
    const { store } = await smallHistory();
    const out = capture();
    expect(await runReplay(store, { progressEvery: 2 }, out)).toBe(exitCodes.ok);
    expect(out.errors).toEqual([
      // The total is the log's head when the replay began: 4 appends.
      expect.stringMatching(/^replay: position 2 of 4, 2 events/),
      expect.stringMatching(/^replay: position 4 of 4, 4 events/),
    ]);
    expect(out.lines[0]).toMatch(/^4 events in 2 streams/);
  });
});

describe('audit as-of', () => {
  it('shows the item as it was between its two label changes', async () => {
    const { store, labelled } = await smallHistory();
    const at = await stateAsOf(store, { stream: `item-${itm}`, at: '2026-01-02T18:00:00Z' });
    expect(at).toMatchObject({
      revision: labelled.revision,
      lastEventAt: '2026-01-02T10:00:00.000Z',
      state: { label: 'Fox', ownerId: alice },
    });
  });

  it('shows the initial state, revision -1, before the stream began', async () => {
    const { store } = await smallHistory();
    const out = capture();
    expect(await runAsOf(store, { stream: `item-${itm}`, at: '2025-12-31T00:00:00Z' }, out)).toBe(
      exitCodes.ok,
    );
    expect(JSON.parse(out.lines.join('\n'))).toMatchObject({ revision: -1, state: { status: 'absent' } });
  });

  it('refuses a time that is not ISO 8601, and a stream of no known aggregate', async () => {
    const { store } = await smallHistory();
    await expect(stateAsOf(store, { stream: `item-${itm}`, at: 'yesterday' })).rejects.toThrow(UsageError);
    await expect(stateAsOf(store, { stream: 'gizmo-1', at: '2026-01-01T00:00:00Z' })).rejects.toThrow(
      UsageError,
    );
  });
});

describe('audit history', () => {
  it('lists what one actor did, when, through which command', async () => {
    const { store, labelled } = await smallHistory();
    const entries = await all(history(store, { actor: alice }));
    expect(entries.map((e) => e.data)).toEqual([
      { itemId: itm, label: 'Fox' },
      { itemId: itm, label: 'Badger' },
    ]);
    expect(entries[0]).toMatchObject({
      actor: alice,
      commandId: labelled.commandId,
      occurredAt: '2026-01-02T10:00:00.000Z',
      stream: `item-${itm}`,
    });
  });

  it('filters by stream and by command id together', async () => {
    const { store, labelled } = await smallHistory();
    expect(await all(history(store, { stream: `item-${itm}`, commandId: labelled.commandId }))).toHaveLength(
      1,
    );
    expect(await all(history(store, { stream: `camera-${cam}` }))).toHaveLength(1);
  });

  it('--since and --until include both ends and nothing outside them', async () => {
    const { store } = await smallHistory();
    // The log holds events at 01-01 00:00, 01-01 09:00:10, 01-02 10:00 and 01-03 10:00.
    const window = await all(history(store, { since: '2026-01-01T09:00:10Z', until: '2026-01-02 10:00:00' }));
    expect(window.map((e) => [e.type, e.occurredAt])).toEqual([
      ['ItemRecorded', '2026-01-01T09:00:10.000Z'],
      ['ItemUpdated', '2026-01-02T10:00:00.000Z'],
    ]);
    const from = await all(history(store, { since: '2026-01-02 10:00:00' }));
    expect(from.map((e) => e.occurredAt)).toEqual(['2026-01-02T10:00:00.000Z', '2026-01-03T10:00:00.000Z']);
  });

  it('--command-id takes the command and its follow-ups, not another command whose id it begins', async () => {
    const store = memoryEventStore();
    const claim = (commandId: string, n: number) =>
      write(
        store,
        `directory-${idOf('fld', n)}`,
        'IdClaimed',
        { id: idOf('fld', n), kind: 'folder', owner: alice, container: alice },
        { actor: alice, commandId },
      );
    await claim('order-1', 1);
    await claim('order-1>foldertree-x@0#0', 2);
    await claim('order-10', 3);
    await claim('order-1-retry', 4);
    const found = await all(history(store, { commandId: 'order-1' }));
    expect(found.map((e) => e.commandId)).toEqual(['order-1', 'order-1>foldertree-x@0#0']);
  });

  it('exits 1 when nothing matches, and asks for a filter when none is given', async () => {
    const { store } = await smallHistory();
    expect(await runHistory(store, { actor: bob }, capture())).toBe(exitCodes.failed);
    expect(() => history(store, {})).toThrow(UsageError);
  });

  it('prints each match as it is read, before the rest of the log has been read', async () => {
    const { store } = await smallHistory();
    const output = capture();
    // The log's read stops after its first event until the test lets it go on.
    let goOn: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      goOn = resolve;
    });
    let printedBeforeTheRest: number | undefined;
    const slowLog: EventStore = {
      ...store,
      readAll: (options) =>
        (async function* () {
          let first = true;
          for await (const r of store.readAll(options)) {
            yield r;
            if (first) {
              first = false;
              setTimeout(() => {
                printedBeforeTheRest = output.lines.length;
                goOn();
              }, 50);
              await held;
            }
          }
        })(),
    };
    const exit = await runHistory(slowLog, { since: '2000-01-01T00:00:00Z', json: true }, output);
    expect(exit).toBe(exitCodes.ok);
    expect(printedBeforeTheRest).toBe(1);
    expect(output.lines.length).toBeGreaterThan(1);
  });
});

const all = async <T>(entries: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const e of entries) out.push(e);
  return out;
};
