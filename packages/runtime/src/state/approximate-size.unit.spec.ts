import { describe, expect, it } from 'vitest';
import { approximateSize } from './approximate-size.ts';

// The cache's budget is only as good as this estimate: everything a state
// holds must count for something, and holding more must count for more.

describe('the approximate size of a state', () => {
  it('counts every kind of value for something', () => {
    const values: unknown[] = [
      '',
      0,
      false,
      10n,
      null,
      undefined,
      new Date(0),
      [],
      { k: undefined },
      new Map(),
      new Set(),
    ];
    for (const value of values) expect(approximateSize(value), String(value)).toBeGreaterThan(0);
  });

  it('grows with the length of a string and of an object key', () => {
    expect(approximateSize('x'.repeat(100))).toBeGreaterThan(approximateSize('x'));
    expect(approximateSize({ ['k'.repeat(40)]: 1 })).toBeGreaterThan(approximateSize({ k: 1 }));
  });

  it('counts a string beyond Latin-1 at two bytes a character, as V8 keeps it', () => {
    const latin = approximateSize('é'.repeat(1000));
    expect(approximateSize('Ω'.repeat(1000)) - latin).toBe(1000);
  });

  it('counts what a plain object holds under its keys', () => {
    expect(approximateSize({ frames: 'x'.repeat(1000) })).toBeGreaterThan(1000);
  });

  // One more element costs the element and a slot of bookkeeping, so a
  // container of many small values is not counted as if it were free.
  it('counts a slot for each element of an array, a Set and a Map beyond the element itself', () => {
    const element = 7;
    const more = (smaller: unknown, larger: unknown, added: number) =>
      approximateSize(larger) - approximateSize(smaller) - added;
    expect(more([element], [element, element], approximateSize(element))).toBeGreaterThan(0);
    expect(more(new Set([1]), new Set([1, 2]), approximateSize(2))).toBeGreaterThan(0);
    expect(
      more(
        new Map([[1, 1]]),
        new Map([
          [1, 1],
          [2, 2],
        ]),
        approximateSize(2) * 2,
      ),
    ).toBeGreaterThan(0);
  });

  it('counts the members of Sets and Maps', () => {
    const long = 'x'.repeat(1000);
    expect(approximateSize(new Set([long]))).toBeGreaterThan(1000);
    expect(approximateSize(new Map([['k', long]]))).toBeGreaterThan(1000);
    expect(approximateSize(new Map([[long, 1]]))).toBeGreaterThan(1000);
  });

  it('walks deep states without exhausting the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { next: deep };
    expect(approximateSize(deep)).toBeGreaterThan(100_000);
  });
});
