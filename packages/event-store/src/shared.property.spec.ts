import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { Mailbox, revisionMatches, safeToken } from './shared.ts';

describe('safe tokens for subjects and KV keys', () => {
  test.prop([fc.string({ unit: 'grapheme', maxLength: 300 })])('any string becomes a valid token', (raw) => {
    expect(safeToken(raw)).toMatch(/^[A-Za-z0-9_=-]{1,201}$/);
  });
  test.prop([fc.string({ maxLength: 120 }), fc.string({ maxLength: 120 })])(
    'two different strings never share a token',
    (a, b) => {
      fc.pre(a !== b);
      expect(safeToken(a)).not.toBe(safeToken(b));
    },
  );
  test.prop([fc.stringMatching(/^[a-z]{1,10}-[A-Za-z0-9_]{1,40}$/)])(
    'stream names pass through readable',
    (name) => {
      expect(safeToken(name)).toBe(name);
    },
  );
});

describe('expected revision', () => {
  test.prop([fc.integer({ min: -1, max: 1000 })])(
    "'any' accepts every stream, -1 means 'no_stream'",
    (actual) => {
      expect(revisionMatches('any', actual)).toBe(true);
      expect(revisionMatches(-1, actual)).toBe(revisionMatches('no_stream', actual));
      expect(revisionMatches('exists', actual)).toBe(actual >= 0);
    },
  );
});

describe('the subscription mailbox', () => {
  it('makes a fast source wait while the reader is behind, and loses nothing', async () => {
    const box = new Mailbox<number>(8);
    const source = (async () => {
      for (let i = 0; i < 100; i++) {
        box.push(i);
        expect(box.size).toBeLessThanOrEqual(8);
        await box.room();
      }
      box.end();
    })();
    const seen: number[] = [];
    for await (const n of box.drain()) seen.push(n);
    await source;
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
