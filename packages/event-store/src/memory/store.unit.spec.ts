// What the memory store does that the shared contract cannot observe on
// every adapter alike.
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { memoryEventStore } from './store.ts';

// The collector, to measure what is still held rather than what is garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapHeld = (): number => {
  gc();
  return process.memoryUsage().heapUsed;
};

describe('memory event store', () => {
  it('a subscriber that reads nothing holds about a mailbox of events, not a copy of the whole log', async () => {
    const store = memoryEventStore();
    const pad = 'x'.repeat(4096);
    const count = 4000;
    for (let i = 0; i < count; i++)
      await store.append(`item-${i}`, [{ id: randomUUID(), type: 'Bulk', data: { i, pad }, metadata: {} }], {
        expectedRevision: 'no_stream',
      });
    const before = heapHeld();
    const sub = store.subscribeAll();
    const held = heapHeld() - before;
    // The log holds about 16 MB of data; a mailbox of ~1024 copies, about 4 MB.
    expect(held).toBeLessThan(8 * 1024 * 1024);
    // Nothing held back is lost: every event comes, in order.
    let read = 0;
    for await (const event of sub) {
      expect((event.data as { i: number }).i).toBe(read);
      if (++read === count) break;
    }
    await sub.close();
    expect(read).toBe(count);
  });
});
