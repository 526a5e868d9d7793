import { describe, expect, it } from 'vitest';
import { PositionMarks } from './position-marks.ts';

// The marks by which a process knows an append it already handled: the
// worker's inline follow-ups, a store's own appends handed back to it.

describe('marked positions', () => {
  it('are taken once: a second delivery of the same append is handled again', () => {
    const marks = new PositionMarks(10);
    marks.add(7);
    expect(marks.take(8)).toBe(false);
    expect(marks.take(7)).toBe(true);
    expect(marks.take(7)).toBe(false);
  });

  it('are kept up to their capacity, all of them', () => {
    const marks = new PositionMarks(3);
    for (const p of [1, 2, 3]) marks.add(p);
    expect([1, 2, 3].map((p) => marks.take(p))).toEqual([true, true, true]);
  });

  it('forget the oldest first once over capacity', () => {
    const marks = new PositionMarks(2);
    for (const p of [1, 2, 3]) marks.add(p);
    expect([1, 2, 3].map((p) => marks.take(p))).toEqual([false, true, true]);
  });

  it('count a mark added again as new: it outlives older ones', () => {
    const marks = new PositionMarks(2);
    marks.add(1);
    marks.add(2);
    marks.add(1);
    marks.add(3);
    expect([1, 2, 3].map((p) => marks.take(p))).toEqual([true, false, true]);
  });
});
