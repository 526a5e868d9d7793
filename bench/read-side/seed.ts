import { randomUUID } from 'node:crypto';
import type { EventStore } from '@camledger/event-store';

// A history for the read-side benchmarks: one owner, items recorded in the
// inbox, then labelled and flagged (events every projection reader knows),
// appended many streams at a time. The owner's account comes first so the
// query benchmarks can ask as them.

export const owner = `usr_${'B'.padStart(26, '0')}`;
const camera = `cam_${'1'.padStart(26, '0')}`;
export const itemId = (n: number) => `itm_${String(n).padStart(26, '0')}`;

const metadata = (n: number) => ({
  commandId: `bench-${n}`,
  correlationId: `bench-${n}`,
  actor: 'system',
  occurredAt: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
  schemaVersion: 1,
});

function eventOf(item: string, n: number, seq: number) {
  if (n === 0)
    return {
      type: 'ItemRecorded',
      data: {
        itemId: item,
        cameraId: camera,
        ownerId: owner,
        startDatetime: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
        endDatetime: new Date(Date.UTC(2026, 0, 1) + seq * 1000 + 10_000).toISOString(),
        isAlert: false,
        frames: [{ identifier: 'f'.repeat(27), datetime: '2026-01-01T00:00:00.000Z', milliseconds: null }],
      },
    };
  return n % 2
    ? { type: 'ItemUpdated', data: { itemId: item, label: `label ${n}` } }
    : { type: 'ItemFlagSet', data: { itemId: item, flagged: n % 4 === 0 } };
}

/** `total` events, 10 per item, one event per append; returns how many were written. */
export async function seedItemHistory(store: EventStore, total: number): Promise<number> {
  const perItem = 10;
  const items = Math.max(1, Math.ceil(total / perItem));
  let written = 0;
  const started = performance.now();
  for (let round = 0; round < perItem && written < total; round++) {
    const jobs: Promise<unknown>[] = [];
    for (let s = 0; s < items && written < total; s++) {
      written++;
      jobs.push(
        store.append(
          `item-${itemId(s)}`,
          [{ id: randomUUID(), ...eventOf(itemId(s), round, s), metadata: metadata(written) }],
          { expectedRevision: round - 1 },
        ),
      );
      if (jobs.length >= 256) await Promise.all(jobs.splice(0));
    }
    await Promise.all(jobs);
    process.stderr.write(
      `seeded ${written} events (${Math.round(written / ((performance.now() - started) / 1000))}/s)\n`,
    );
  }
  return written;
}
