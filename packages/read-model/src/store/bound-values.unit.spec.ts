import { describe, expect, it } from 'vitest';
import { boundValues } from './bound-values.ts';

describe('boundValues', () => {
  it('writes U+0000 as U+FFFD in strings, inside lists and objects too (keys included)', () => {
    expect(boundValues(['a\u0000b', ['\u0000'], { 'k\u0000': { note: 'x\u0000\u0000' } }])).toEqual([
      'a\uFFFDb',
      ['\uFFFD'],
      { 'k\uFFFD': { note: 'x\uFFFD\uFFFD' } },
    ]);
  });

  it('leaves everything else as it is, the very same value when there is nothing to replace', () => {
    const date = new Date(0);
    const clean = { note: 'fine' };
    const params = [1, null, undefined, true, 'text', date, clean, 10n];
    const bound = boundValues(params);
    expect(bound).toEqual(params);
    expect(bound[5]).toBe(date);
  });
});
