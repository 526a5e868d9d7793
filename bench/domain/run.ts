import { aggregatesByCategory, type DomainEvent, fold } from '@camledger/domain';
import { machineLine, median, timeRuns } from '../support/measure.ts';

// How fast evolve folds the histories that grow the longest: a user's
// folder tree (10k folders), one busy item (1k events) and a network of 20k
// members. The worker caches
// states, so this is the cost of a cold load or of an auditor's replay.

const id = (prefix: string, n: number) => `${prefix}_${String(n).padStart(26, '0')}`;
const owner = id('usr', 1);

function folderHistory(size: number): DomainEvent[] {
  const events: DomainEvent[] = [];
  for (let n = 0; n < size; n++) {
    // Parents among the folders made so far: a tree of depth ~log(n), ten children a node.
    const parentId = n < 10 ? null : id('fld', Math.floor(n / 10) - 1);
    events.push({
      type: 'FolderCreated',
      data: { folderId: id('fld', n), ownerId: owner, name: `Folder ${n}`, parentId },
    });
  }
  return events;
}

function itemHistory(size: number): DomainEvent[] {
  const itemId = id('itm', 1);
  const frames = Array.from({ length: 50 }, (_, i) => ({
    identifier: `frame-${String(i).padStart(24, '0')}`,
    datetime: '2026-01-01T10:00:00.000Z',
    milliseconds: null,
  }));
  const events: DomainEvent[] = [
    {
      type: 'ItemRecorded',
      data: {
        itemId,
        cameraId: id('cam', 1),
        ownerId: owner,
        startDatetime: '2026-01-01T10:00:00.000Z',
        endDatetime: '2026-01-01T10:00:05.000Z',
        isAlert: false,
        frames,
      },
    },
  ];
  for (let n = 1; n < size; n++)
    events.push(
      n % 2
        ? { type: 'ItemFlagSet', data: { itemId, flagged: n % 4 === 1 } }
        : { type: 'ItemUpdated', data: { itemId, label: `label ${n}` } },
    );
  return events;
}

/** A network of `size` members, each joined by one event: the biggest social state. */
function networkHistory(size: number): DomainEvent[] {
  const networkId = id('net', 1);
  const events: DomainEvent[] = [
    {
      type: 'NetworkCreated',
      data: {
        networkId,
        ownerId: owner,
        name: 'Busy',
        type: 'public',
        requiresCameras: false,
        description: '',
      },
    },
  ];
  for (let n = 2; n <= size; n++)
    events.push({ type: 'NetworkJoined', data: { networkId, userId: id('usr', n), cameras: [] } });
  return events;
}

type Way = 'batch' | 'one by one';

async function foldRate(category: string, events: readonly DomainEvent[], way: Way, runs: number) {
  const aggregate = aggregatesByCategory.get(category);
  if (!aggregate) throw new Error(`no aggregate ${category}`);
  const task =
    way === 'batch'
      ? () => fold(aggregate, events)
      : () => events.reduce(aggregate.evolve, aggregate.initial);
  const ms = median(await timeRuns(task, runs, 1));
  return { ms, eventsPerSecond: Math.round((events.length / ms) * 1000) };
}

const folders = folderHistory(10_000);
const item = itemHistory(1_000);
const network = networkHistory(20_000);
const rows: Array<[string, number, Way, Awaited<ReturnType<typeof foldRate>>]> = [
  ['folder tree, 10k folders', folders.length, 'batch', await foldRate('foldertree', folders, 'batch', 15)],
  [
    'folder tree, 10k folders',
    folders.length,
    'one by one',
    await foldRate('foldertree', folders, 'one by one', 5),
  ],
  ['one item, 1k events', item.length, 'batch', await foldRate('item', item, 'batch', 25)],
  ['one item, 1k events', item.length, 'one by one', await foldRate('item', item, 'one by one', 25)],
  ['one network, 20k members', network.length, 'batch', await foldRate('network', network, 'batch', 15)],
];

console.log(`### Domain fold (${machineLine()})\n`);
console.log('| history | events | fold | median | events/s |');
console.log('|---|---|---|---|---|');
for (const [name, count, way, r] of rows)
  console.log(
    `| ${name} | ${count} | ${way} | ${r.ms.toFixed(2)} ms | ${r.eventsPerSecond.toLocaleString('en')} |`,
  );
