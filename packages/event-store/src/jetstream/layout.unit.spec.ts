import { describe, expect, it } from 'vitest';
import { CHUNK, indexEntries, indexHeaders, type MessageIndex, nextIndex, readIndex } from './layout.ts';

/** Appends `count` single-event messages with sequences 10, 20, 30… and returns each message's index. */
const chain = (count: number): MessageIndex[] => {
  const out: MessageIndex[] = [];
  for (let i = 0; i < count; i++) {
    const next = nextIndex(out[out.length - 1], i, 1);
    out.push(readIndex((i + 1) * 10, indexHeaders(next, `m${i}`)));
  }
  return out;
};

describe('the per-aggregate index carried in headers', () => {
  it('names every earlier message of its chunk, and the previous chunk once a chunk is full', () => {
    const messages = chain(CHUNK * 2 + 5);
    const last = messages[messages.length - 1]!;
    expect(indexEntries(last)).toHaveLength(4);
    expect(last.size).toBe(4);
    expect(last.chunk).toEqual({ seq: CHUNK * 2 * 10, rev: CHUNK * 2 - 1 });
    const full = messages[CHUNK - 1]!;
    expect(indexEntries(full).map((e) => e.rev)).toEqual(Array.from({ length: CHUNK - 1 }, (_, i) => i));
    expect(full.size).toBe(CHUNK - 1);
    expect(full.chunk).toBeUndefined();
  });

  it('keeps a message of a multi-event append at its first revision', () => {
    const first = readIndex(7, indexHeaders(nextIndex(undefined, 0, 3), 'a'));
    const second = readIndex(9, indexHeaders(nextIndex(first, 3, 2), 'b'));
    expect([first.firstRev, first.lastRev, second.firstRev, second.lastRev]).toEqual([0, 2, 3, 4]);
    expect(indexEntries(second)).toEqual([{ seq: 7, rev: 0 }]);
  });

  it('writes the same headers from a remembered tail as from one read back', () => {
    // The store remembers what it wrote (`{ seq, ...next }`) and appends after
    // it without reading; a tail read from the server must lead to the very
    // same next message.
    let remembered: MessageIndex | undefined;
    let read: MessageIndex | undefined;
    for (let i = 0; i < CHUNK * 2 + 3; i++) {
      const fromMemory = indexHeaders(nextIndex(remembered, i, 1), 'm');
      const fromServer = indexHeaders(nextIndex(read, i, 1), 'm');
      expect([...fromMemory]).toEqual([...fromServer]);
      expect(remembered?.size).toBe(read?.size);
      const seq = (i + 1) * 10;
      remembered = { seq, ...nextIndex(remembered, i, 1) };
      read = readIndex(seq, fromServer);
    }
  });
});
