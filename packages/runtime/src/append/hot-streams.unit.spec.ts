import { describe, expect, it } from 'vitest';
import { HotStreams } from './hot-streams.ts';

describe('hot streams', () => {
  it('are hot from a conflict until the window ends, then cool again', () => {
    let now = 0;
    const hot = new HotStreams(100, 10, () => now);
    hot.mark('foldertree-usr_1');
    expect(hot.isHot('foldertree-usr_1')).toBe(true);
    expect(hot.isHot('foldertree-usr_2')).toBe(false);
    now = 99;
    expect(hot.isHot('foldertree-usr_1')).toBe(true);
    now = 100;
    expect(hot.isHot('foldertree-usr_1')).toBe(false);
  });

  it('remember at most their capacity, the oldest mark going first', () => {
    const hot = new HotStreams(1_000, 2, () => 0);
    for (const s of ['a', 'b', 'c']) hot.mark(s);
    expect(['a', 'b', 'c'].map((s) => hot.isHot(s))).toEqual([false, true, true]);
  });

  it('are read before deciding unless the log is followed; they stay hot (take turns) either way', () => {
    const hot = new HotStreams(1_000, 10, () => 0);
    hot.mark('account-a');
    expect(hot.needsRead('account-a')).toBe(true);
    expect(hot.needsRead('account-b')).toBe(false);
    hot.readBeforeDeciding = false;
    expect(hot.needsRead('account-a')).toBe(false);
    expect(hot.isHot('account-a')).toBe(true);
  });
});
