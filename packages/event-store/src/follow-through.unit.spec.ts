import { describe, expect, it } from 'vitest';
import type { RecordedEvent, Subscription } from './port.ts';
import { followThrough } from './shared.ts';

// followThrough is how the memory and EventStoreDB stores follow the log: a
// subscription from its end, appends handed over whole. When the following
// ends by itself, followingOf stops it, which closes the subscription:
// otherwise the store keeps feeding it (a memory mailbox grows, an
// EventStoreDB subscription stays open) for nobody.

const recorded = (n: number): RecordedEvent => ({
  id: `e${n}`,
  stream: 'item-a',
  revision: n,
  position: n + 1,
  type: 'Bulk',
  data: {},
  metadata: {},
  lastInAppend: true,
});

/** A subscription handing over `events`, then live (nothing more) until it is closed, as a store's does. */
function subscriptionOf(events: RecordedEvent[]): Subscription & { closes: number } {
  let closed: () => void = () => {};
  const untilClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const sub = {
    closes: 0,
    async *[Symbol.asyncIterator]() {
      for (const e of events) yield e;
      await untilClosed;
    },
    async close() {
      sub.closes++;
      closed();
    },
  };
  return sub;
}

describe('followThrough', () => {
  it('closes its subscription when a callback throws and the following ends', async () => {
    const sub = subscriptionOf([recorded(0), recorded(1)]);
    const following = followThrough(sub, () => {
      throw new Error('cannot fold');
    });
    expect((await following.ended).message).toBe('cannot fold');
    expect(sub.closes).toBe(1);
  });

  it('hands over every append whole while the callback holds', async () => {
    const handed: string[][] = [];
    const sub = subscriptionOf([{ ...recorded(0), lastInAppend: false }, recorded(1), recorded(2)]);
    const following = followThrough(sub, (events) => handed.push(events.map((e) => e.id)));
    await new Promise((r) => setTimeout(r, 20));
    expect(handed).toEqual([['e0', 'e1'], ['e2']]);
    await following.close();
    expect(sub.closes).toBeGreaterThanOrEqual(1);
  });
});
