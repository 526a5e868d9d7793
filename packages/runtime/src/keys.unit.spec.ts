import { creatorTag, creatorTagOf, isGeneratedId } from '@camledger/domain';
import { describe, expect, it } from 'vitest';
import { commandFingerprint, commandKey, deterministicId, deterministicUuid, payloadHash } from './keys.ts';

// What a retry relies on: the same command yields the same key, hash and ids;
// anything that differs in what the client asked yields different ones.

const ulid = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('command keys', () => {
  it('are the same for the same actor and command id', () => {
    expect(commandKey('usr_1', 'c-1')).toBe(commandKey('usr_1', 'c-1'));
    expect(commandKey('usr_1', 'c-1')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tell the actor from the command id: moving a character across the boundary is another key', () => {
    expect(commandKey('ab', 'c')).not.toBe(commandKey('a', 'bc'));
    expect(commandKey('usr_1', 'c-1')).not.toBe(commandKey('usr_2', 'c-1'));
  });

  it('fingerprints tell the subject from the payload hash the same way', () => {
    expect(commandFingerprint({ subject: 'ab', payloadHash: 'c' })).not.toBe(
      commandFingerprint({ subject: 'a', payloadHash: 'bc' }),
    );
  });
});

describe('the payload hash', () => {
  it('does not depend on the order of keys, at any depth', () => {
    const a = { name: 'x', parent: 'fld_1', meta: { z: 1, a: [1, { q: 2, b: 3 }] }, b: true, k: null };
    const b = { k: null, meta: { a: [1, { b: 3, q: 2 }], z: 1 }, b: true, parent: 'fld_1', name: 'x' };
    const c = { b: true, name: 'x', k: null, parent: 'fld_1', meta: { z: 1, a: [1, { q: 2, b: 3 }] } };
    expect(payloadHash(b)).toBe(payloadHash(a));
    expect(payloadHash(c)).toBe(payloadHash(a));
  });

  it('is the same for every order of many keys', () => {
    const pairs = ['e', 'b', 'g', 'a', 'd', 'h', 'c', 'f', 'j', 'i'].map((k) => [k, `v-${k}`] as const);
    const orders = [pairs, [...pairs].reverse(), [...pairs].sort(), [...pairs].sort().reverse()];
    expect(new Set(orders.map((p) => payloadHash(Object.fromEntries(p)))).size).toBe(1);
  });

  it('ignores fields that are undefined, as the JSON a client sends would', () => {
    expect(payloadHash({ name: 'x', parent: undefined })).toBe(payloadHash({ name: 'x' }));
  });

  it('reads undefined inside a list as null, as JSON would send it', () => {
    expect(payloadHash({ ids: [1, undefined] })).toBe(payloadHash({ ids: [1, null] }));
  });

  it('differs for different values, nested or not', () => {
    expect(payloadHash({ n: 1 })).not.toBe(payloadHash({ n: 2 }));
    expect(payloadHash({ name: 'x' })).not.toBe(payloadHash({ name: 'y' }));
    expect(payloadHash({ meta: { a: 1 } })).not.toBe(payloadHash({ meta: { a: 2 } }));
    expect(payloadHash({ n: 1 })).not.toBe(payloadHash({ n: '1' }));
  });

  it('differs for lists in another order or split another way', () => {
    expect(payloadHash({ ids: [1, 2] })).not.toBe(payloadHash({ ids: [2, 1] }));
    expect(payloadHash({ ids: [1, 23] })).not.toBe(payloadHash({ ids: [12, 3] }));
    expect(payloadHash({ ids: ['a', 'b'] })).not.toBe(payloadHash({ ids: ['a'] }));
  });

  it('tells a list from an object with the same entries under numbered keys', () => {
    expect(payloadHash({ tags: ['x'] })).not.toBe(payloadHash({ tags: { 0: 'x' } }));
  });

  it('accepts null as a value and tells it from 0', () => {
    expect(payloadHash({ a: null })).not.toBe(payloadHash({ a: 0 }));
  });
});

describe('deterministic ids', () => {
  const creator = 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4';

  it('carry the mark of a generated id and the tag of the actor who created them', () => {
    const id = deterministicId('fld', 'key', 0, creator);
    expect(isGeneratedId(id)).toBe(true);
    expect(creatorTagOf(id)).toBe(creatorTag(creator));
    expect(creatorTagOf(deterministicId('fld', 'key', 0, 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X5'))).not.toBe(
      creatorTag(creator),
    );
  });

  it('are ULIDs behind the prefix asked for', () => {
    for (let n = 0; n < 20; n++) {
      const id = deterministicId('fld', 'key', n, creator);
      expect(id.startsWith('fld_')).toBe(true);
      expect(id.slice(4)).toMatch(ulid);
    }
    expect(deterministicId('usr', 'key', 0, creator)).toMatch(/^usr_/);
  });

  it('are stable for the same key, prefix and n, and differ otherwise', () => {
    expect(deterministicId('fld', 'key', 0, creator)).toBe(deterministicId('fld', 'key', 0, creator));
    const ids = new Set([
      deterministicId('fld', 'key', 0, creator),
      deterministicId('fld', 'key', 1, creator),
      deterministicId('fld', 'other', 0, creator),
      deterministicId('usr', 'key', 0, creator).replace(/^usr_/, 'fld_'),
    ]);
    expect(ids.size).toBe(4);
  });

  it('use the whole first ULID character range allowed, not only 0', () => {
    const first = new Set(Array.from({ length: 64 }, (_, n) => deterministicId('fld', 'key', n, creator)[4]));
    expect(first.size).toBeGreaterThan(1);
  });
});

describe('deterministic UUIDs', () => {
  it('are version-4-shaped, stable for the same parts and different otherwise', () => {
    const a = deterministicUuid('key', 'folder-1', '0');
    expect(a).toMatch(uuidV4);
    expect(deterministicUuid('key', 'folder-1', '0')).toBe(a);
    expect(deterministicUuid('key', 'folder-1', '1')).not.toBe(a);
  });

  it('keep the hash bits beside the version and variant bits', () => {
    const uuids = Array.from({ length: 64 }, (_, i) => deterministicUuid('key', String(i)));
    for (const u of uuids) expect(u).toMatch(uuidV4);
    // The digit after the version (4) and after the variant digit still vary.
    expect(new Set(uuids.map((u) => u[15])).size).toBeGreaterThan(1);
    expect(new Set(uuids.map((u) => u[20])).size).toBeGreaterThan(1);
  });
});
