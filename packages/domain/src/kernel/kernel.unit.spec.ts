import { describe, expect, it } from 'vitest';
import { testId } from '../testing/index.ts';
import { accept, acceptUnchanged, evolveByType, isId, reserving, reservingDerived } from './index.ts';

const folderId = testId('fld', 1);
const claimed = { type: 'IdClaimed', data: { id: folderId } };
const created = { type: 'FolderCreated', data: { folderId } };
const tree = { stream: 'foldertree-usr_1', state: {}, revision: 3 };

describe('reserving an id beside a write', () => {
  it('adds the claim of a stream not written yet to the accepted write', () => {
    const free = { stream: `directory-${folderId}`, state: {}, revision: -1 };
    const decision = reserving(accept('Ok', tree, [created]), free, [claimed]);
    expect(decision.write).toEqual({ stream: tree.stream, expectedRevision: 3, events: [created] });
    expect(decision.reservations).toEqual([{ stream: `directory-${folderId}`, events: [claimed] }]);
  });

  it('refuses to reserve a stream that exists already: whose it is, is the decider to judge', () => {
    const taken = { stream: `directory-${folderId}`, state: {}, revision: 0 };
    expect(() => reserving(accept('Ok', tree, [created]), taken, [claimed])).toThrow(
      `directory-${folderId} exists already: nothing to reserve`,
    );
  });

  it('refuses a reservation on a decision that writes nothing (it would be stored alone)', () => {
    const free = { stream: `directory-${folderId}`, state: {}, revision: -1 };
    expect(() => reserving(acceptUnchanged('Ok'), free, [claimed])).toThrow(
      'a reservation goes with a write',
    );
  });
});

describe('reserving a derived id before a write', () => {
  it('adds the claim, marked derived: not loaded first, and found existing it is not a conflict', () => {
    const decision = reservingDerived(accept('Ok', tree, [created]), `directory-${folderId}`, [claimed]);
    expect(decision.write).toEqual({ stream: tree.stream, expectedRevision: 3, events: [created] });
    expect(decision.reservations).toEqual([
      { stream: `directory-${folderId}`, events: [claimed], derived: true },
    ]);
  });

  it('refuses a reservation on a decision that writes nothing', () => {
    expect(() => reservingDerived(acceptUnchanged('Ok'), `directory-${folderId}`, [claimed])).toThrow(
      'a reservation goes with a write',
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
