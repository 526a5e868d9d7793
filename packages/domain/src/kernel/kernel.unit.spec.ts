import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testId } from '../testing/index.ts';
import {
  accept,
  acceptUnchanged,
  creatorTag,
  creatorTagOf,
  evolveByType,
  generatedId,
  idPrefixes,
  isGeneratedId,
  isId,
  reserving,
  writingFirst,
} from './index.ts';

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const folderId = testId('fld', 1);
const claimed = { type: 'IdClaimed', data: { id: folderId } };
const created = { type: 'FolderCreated', data: { folderId } };
const tree = { stream: 'foldertree-usr_1', state: {}, revision: 3 };

describe('reserving an id beside a write', () => {
  it('adds the claim of a stream not written yet to the accepted write', () => {
    const free = { stream: `directory-${folderId}`, state: {}, revision: -1 };
    const decision = reserving(accept('Ok', tree, [created]), free, [claimed]);
    expect(decision.write).toEqual({ stream: tree.stream, expectedRevision: 3, events: [created] });
    expect(decision.reservations).toEqual([
      { stream: `directory-${folderId}`, events: [claimed], expectedRevision: -1 },
    ]);
  });

  it('refuses to reserve a stream that exists already: whose it is, is the decider to judge', () => {
    const taken = { stream: `directory-${folderId}`, state: {}, revision: 0 };
    expect(() => reserving(accept('Ok', tree, [created]), taken, [claimed])).toThrow(
      `directory-${folderId} exists already: nothing to reserve`,
    );
  });

  it('writes first to a stream that exists, at the revision it was loaded at (writingFirst)', () => {
    const tagged = { stream: 'idtag-TAG', state: {}, revision: 2 };
    const held = { type: 'IdTagHeld', data: { tag: 'TAG' } };
    const decision = writingFirst(accept('Ok', tree, [created]), tagged, [held]);
    expect(decision.reservations).toEqual([{ stream: 'idtag-TAG', events: [held], expectedRevision: 2 }]);
    expect(() => writingFirst(acceptUnchanged('Ok'), tagged, [held])).toThrow(
      'a reservation goes with a write',
    );
  });

  it('refuses a reservation on a decision that writes nothing (it would be stored alone)', () => {
    const free = { stream: `directory-${folderId}`, state: {}, revision: -1 };
    expect(() => reserving(acceptUnchanged('Ok'), free, [claimed])).toThrow(
      'a reservation goes with a write',
    );
  });
});

describe('generated ids', () => {
  const unique = fc
    .tuple(
      fc.constantFrom(...'01234567'),
      fc.array(fc.constantFrom(...crockford), { minLength: 9, maxLength: 9 }),
    )
    .map(([first, rest]) => first + rest.join(''));
  const prefix = fc.constantFrom(...idPrefixes);
  const creator = fc.string({ minLength: 1 });

  it("are well-formed ids of their prefix that carry the mark and their creator's tag", () => {
    fc.assert(
      fc.property(prefix, unique, creator, (p, u, c) => {
        const id = generatedId(p, u, c);
        expect(id.startsWith(`${p}_${u}`)).toBe(true);
        expect(isId(p, id)).toBe(true);
        expect(isGeneratedId(id)).toBe(true);
        expect(creatorTagOf(id)).toBe(creatorTag(c));
      }),
    );
  });

  it('are told from ids a client chooses: any changed character loses the mark', () => {
    fc.assert(
      fc.property(prefix, unique, creator, fc.nat(25), fc.constantFrom(...crockford), (p, u, c, at, ch) => {
        const id = generatedId(p, u, c);
        const i = p.length + 1 + at;
        fc.pre(id[i] !== ch && (at > 0 || '01234567'.includes(ch)));
        const changed = `${id.slice(0, i)}${ch}${id.slice(i + 1)}`;
        expect(isGeneratedId(changed)).toBe(false);
        expect(creatorTagOf(changed)).toBeNull();
      }),
    );
  });

  it('mark no id of another form, nor a plain test id', () => {
    expect(isGeneratedId(folderId)).toBe(false);
    expect(isGeneratedId('fld_')).toBe(false);
    expect(isGeneratedId('xyz_00000000000000000000000000')).toBe(false);
    expect(isGeneratedId(generatedId('fld', '0'.repeat(10), 'usr_A').toLowerCase())).toBe(false);
  });

  it('refuse a unique part that would not make a ULID', () => {
    expect(() => generatedId('fld', '8'.repeat(10), 'usr_A')).toThrow(
      'not the unique part of a generated fld id',
    );
    expect(() => generatedId('fld', '0'.repeat(9), 'usr_A')).toThrow(
      'not the unique part of a generated fld id',
    );
  });
});

describe('isId', () => {
  it('takes only a string of the prefix and a ULID, not a value that merely prints as one', () => {
    expect(isId('fld', folderId)).toBe(true);
    expect(isId('fld', [folderId])).toBe(false);
    expect(isId('fld', { toString: () => folderId })).toBe(false);
    expect(isId('usr', folderId)).toBe(false);
  });
});

describe('evolveByType', () => {
  type Counted = { type: 'Added'; data: { n: number } } | { type: 'Reset'; data: Record<string, never> };
  const evolve = evolveByType<number, Counted>({
    Added: (total, { data }) => total + data.n,
    Reset: () => 0,
  });

  it("runs the handler of the event's type", () => {
    expect(evolve(2, { type: 'Added', data: { n: 3 } })).toBe(5);
    expect(evolve(5, { type: 'Reset', data: {} })).toBe(0);
  });

  it('refuses a stored event of a type the aggregate has no handler for, naming it', () => {
    expect(() => evolve(1, { type: 'Removed', data: {} } as unknown as Counted)).toThrow(
      'no handler for event type Removed',
    );
  });
});
