import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentKeys } from './recent-keys.ts';

const day = 24 * 60 * 60 * 1000;
const week = 7 * day;
/** Keys as the worker makes them: hex sha256. */
const key = (n: number | string) => createHash('sha256').update(`k${n}`).digest('hex');

describe('RecentKeys', () => {
  it('finds every key it was given, across many filters, for any keys and times', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string(), fc.nat(week)), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 8 }),
        (added, firstCapacity) => {
          const keys = new RecentKeys({ retentionMs: week, maxKeys: 10_000, firstCapacity });
          const sorted = [...added].sort((a, b) => a[1] - b[1]);
          for (const [k, at] of sorted) keys.add(k, at);
          for (const [k] of sorted) expect(keys.has(k)).toBe(true);
          expect(keys.incompleteAt(week)).toBe(false);
        },
      ),
    );
  });

  it('calls about one absent key in a thousand present, with a million keys held in under 4 MB', () => {
    const keys = new RecentKeys({ retentionMs: week, maxKeys: 50_000_000 });
    for (let n = 0; n < 1_000_000; n++) keys.add(key(n), n);
    let falseAlarms = 0;
    for (let n = 0; n < 100_000; n++) if (keys.has(key(`absent ${n}`))) falseAlarms++;
    expect(falseAlarms / 100_000).toBeLessThan(0.005);
    // Nothing was dropped for room: a new command still needs no lookup.
    expect(keys.incompleteAt(1_000_000)).toBe(false);
    // The Map of digests it replaces held about 100 bytes a key: 100 MB for these.
    expect(keys.bytes).toBeLessThan(4 * 1024 * 1024);
    expect(keys.bytes).toBeGreaterThan((1_000_000 * 14) / 8);
  });

  it('forgets a filter once its newest key is past the retention, and not before', () => {
    const keys = new RecentKeys({ retentionMs: week, maxKeys: 1_000, periodMs: day });
    keys.add(key('monday'), 0);
    keys.add(key('tuesday'), day + 1);
    keys.prune(week);
    expect(keys.has(key('monday'))).toBe(true);
    keys.prune(week + 1);
    expect(keys.has(key('monday'))).toBe(false);
    expect(keys.has(key('tuesday'))).toBe(true);
    // Expired, not dropped for room: "absent" can be trusted.
    expect(keys.incompleteAt(week + 1)).toBe(false);
  });

  it('past its bound drops the oldest filter and says so until those keys would have expired', () => {
    const keys = new RecentKeys({ retentionMs: week, maxKeys: 4, firstCapacity: 2 });
    for (const [n, at] of [
      [1, 10],
      [2, 20],
      [3, 30],
      [4, 40],
      [5, 50],
    ] as const)
      keys.add(key(n), at);
    expect(keys.has(key(5))).toBe(true);
    expect(keys.incompleteAt(20 + week - 1)).toBe(true);
    expect(keys.incompleteAt(20 + week)).toBe(false);
    expect(keys.bytes).toBeLessThanOrEqual(4 * 4);
  });

  it('takes no room for a key it already holds (a worker adds its own keys twice)', () => {
    const keys = new RecentKeys({ retentionMs: week, maxKeys: 4, firstCapacity: 2 });
    for (const n of [1, 2, 3, 4]) {
      keys.add(key(n), n);
      keys.add(key(n), n); // the same key, again from the watch
    }
    expect([1, 2, 3, 4].map((n) => keys.has(key(n)))).toEqual([true, true, true, true]);
    expect(keys.incompleteAt(10)).toBe(false);
  });

  it('by default starts a new filter each seventh of the retention, so a day of keys expires together', () => {
    const keys = new RecentKeys({ retentionMs: week, maxKeys: 1_000 });
    keys.add(key('early'), 0);
    keys.add(key('next day'), day);
    keys.prune(week + 1);
    expect(keys.has(key('early'))).toBe(false);
    expect(keys.has(key('next day'))).toBe(true);
  });

  it('refuses a bound with no room for a key', () => {
    expect(() => new RecentKeys({ retentionMs: week, maxKeys: 0 })).toThrow(RangeError);
  });
});
