import { describe, expect, it } from 'vitest';
import { followUpsOf } from '../registry.ts';
import { alice, created, fld, treeOf } from '../testing/fixtures/folder.ts';
import { nameKey } from './state.ts';

describe('folder names', () => {
  it('compare trimmed, NFC-normalised and case-insensitively', () => {
    expect(nameKey('  Cafe\u0301 ')).toBe(nameKey('CAF\u00c9'));
    expect(nameKey('Garden')).not.toBe(nameKey('Gardens'));
  });
});

describe('a created folder', () => {
  it('asks for no follow-up: folder.create claimed its id in the directory before writing it', () => {
    const { type, data } = created(fld(1), 'Garden');
    const event = {
      stream: treeOf(alice),
      revision: 0,
      type,
      data,
      metadata: {
        commandId: 'c',
        correlationId: 'c',
        actor: alice,
        occurredAt: '2026-01-01T00:00:00.000Z',
        schemaVersion: 1,
      },
    };
    expect(followUpsOf(event)).toEqual([]);
  });
});
