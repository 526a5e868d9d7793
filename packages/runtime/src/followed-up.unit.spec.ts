import { describe, expect, it } from 'vitest';
import { FollowedUp } from './followed-up.ts';

// The marks that let the follow-up queue ack an append whose follow-ups
// already ran inline here.

describe('appends marked as followed up', () => {
  it('are taken once: a second delivery of the same append runs its follow-ups', () => {
    const marks = new FollowedUp(10);
    marks.add(7);
    expect(marks.take(8)).toBe(false);
    expect(marks.take(7)).toBe(true);
    expect(marks.take(7)).toBe(false);
  });

  it('are kept up to their capacity, all of them', () => {
    const marks = new FollowedUp(3);
    for (const p of [1, 2, 3]) marks.add(p);
    expect([1, 2, 3].map((p) => marks.take(p))).toEqual([true, true, true]);
  });

  it('forget the oldest first once over capacity', () => {
    const marks = new FollowedUp(2);
    for (const p of [1, 2, 3]) marks.add(p);
    expect([1, 2, 3].map((p) => marks.take(p))).toEqual([false, true, true]);
  });

  it('count a mark added again as new: it outlives older ones', () => {
    const marks = new FollowedUp(2);
    marks.add(1);
    marks.add(2);
    marks.add(1);
    marks.add(3);
    expect([1, 2, 3].map((p) => marks.take(p))).toEqual([true, false, true]);
  });
});
