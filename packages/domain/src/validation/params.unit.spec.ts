import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testId } from '../testing/index.ts';
import * as param from './params.ts';
import { toRejection } from './to-rejection.ts';

// The parameter builders seen the way a client sees them: a payload goes in,
// and either the value the decider gets comes out, or the coded rejection
// (DOMAIN.md §2) naming the parameter and saying which rule it broke.

type Answer =
  | { readonly accepted: unknown }
  | { readonly code: number; readonly error: string; readonly details: Readonly<Record<string, unknown>> };

function answer(schema: z.ZodType, payload: unknown): Answer {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { accepted: parsed.data };
  const { code, name, details } = toRejection(parsed.error);
  return { code, error: name, details };
}

/** One parameter `p` of a payload; `absent` leaves it out. */
const absent = Symbol('absent');
const one = (schema: z.ZodType, value: unknown): Answer =>
  answer(z.object({ p: schema }), value === absent ? {} : { p: value });
const acceptedAs = (value: unknown) => ({ accepted: { p: value } });

describe('a required parameter left out or null', () => {
  it.each([
    ['text', param.text(0, 10)],
    ['int', param.int(0, 10)],
    ['float', param.float(0, 10)],
    ['flag', param.flag()],
    ['ref', param.ref()],
    ['datetime', param.datetime()],
    ['list', param.list(param.ref(), 3)],
  ] as const)('%s: absent or null answers 128 "missing"', (_kind, schema) => {
    for (const value of [absent, null]) {
      expect(one(schema, value)).toEqual({
        code: 128,
        error: 'MissingParameter',
        details: { param: 'p', reason: expect.stringContaining('missing') },
      });
    }
  });

  it('names the parameter without a limit', () => {
    const rejected = one(param.int(0, 10), null);
    expect(rejected).not.toHaveProperty('details.limit');
  });
});

describe('text and names', () => {
  it('a non-string answers 128 saying a string is wanted', () => {
    expect(one(param.text(0, 10), 42)).toEqual({
      code: 128,
      error: 'MissingParameter',
      details: { param: 'p', reason: expect.stringContaining('string') },
    });
  });

  it('half of a surrogate pair alone answers 128; a whole pair (an emoji) is one character', () => {
    expect(one(param.text(0, 10), 'frame-\ud800')).toEqual({
      code: 128,
      error: 'MissingParameter',
      details: { param: 'p', reason: expect.stringContaining('surrogate') },
    });
    expect(one(param.name(1, 10), '\udc00ab')).toMatchObject({ code: 128 });
    expect(one(param.text(1, 1), '\u{1F4F7}')).toEqual(acceptedAs('\u{1F4F7}'));
  });

  it('too short answers 192 with the minimum, too long 200 with the maximum', () => {
    expect(one(param.text(2, 4), 'a')).toEqual({
      code: 192,
      error: 'StringTooShort',
      details: { param: 'p', reason: expect.stringContaining('at least 2'), limit: 2 },
    });
    expect(one(param.text(2, 4), 'abcde')).toEqual({
      code: 200,
      error: 'StringTooLong',
      details: { param: 'p', reason: expect.stringContaining('at most 4'), limit: 4 },
    });
  });

  it('a name is trimmed before its length is counted and before it is kept', () => {
    expect(one(param.name(1, 6), '  Garden  ')).toEqual(acceptedAs('Garden'));
    expect(one(param.name(1, 6), '   ')).toMatchObject({ error: 'StringTooShort' });
  });
});

describe('integers', () => {
  it('read from digits with spaces around them', () => {
    expect(one(param.int(0, 100), ' 42 ')).toEqual(acceptedAs(42));
  });

  it('a non-integer answers 136', () => {
    expect(one(param.int(0, 100), '4.2')).toEqual({
      code: 136,
      error: 'NotAnInteger',
      details: { param: 'p', reason: expect.stringContaining('integer') },
    });
  });

  it('the bounds themselves are in; one past either answers 144 or 152 with the limit', () => {
    const schema = param.int(1, 20);
    expect(one(schema, 1)).toEqual(acceptedAs(1));
    expect(one(schema, 20)).toEqual(acceptedAs(20));
    expect(one(schema, 0)).toEqual({
      code: 144,
      error: 'IntegerTooSmall',
      details: { param: 'p', reason: expect.stringContaining('at least 1'), limit: 1 },
    });
    expect(one(schema, '21')).toEqual({
      code: 152,
      error: 'IntegerTooBig',
      details: { param: 'p', reason: expect.stringContaining('at most 20'), limit: 20 },
    });
  });

  it('an integer of any size is an integer: too big or too small, not "not an integer"', () => {
    const schema = param.int(1, 1_000_000);
    for (const huge of [1e16, 2 ** 60, '10000000000000000', ' 99999999999999999999 '])
      expect(one(schema, huge)).toMatchObject({ code: 152, details: { limit: 1_000_000 } });
    for (const tiny of [-1e16, '-10000000000000000'])
      expect(one(schema, tiny)).toMatchObject({ code: 144, details: { limit: 1 } });
    // Leading zeros are digits like any other, and count for nothing.
    expect(one(schema, '0000000000000000005')).toEqual(acceptedAs(5));
    expect(one(schema, '1e3')).toMatchObject({ code: 136 });
    expect(one(param.flag(), 1e16)).toMatchObject({ code: 152 });
  });
});

describe('floats', () => {
  it('the bounds themselves are in; past either answers 144 or 152 with the limit', () => {
    const latitude = param.float(-90, 90);
    expect(one(latitude, -90)).toEqual(acceptedAs(-90));
    expect(one(latitude, '90')).toEqual(acceptedAs(90));
    expect(one(latitude, -90.5)).toEqual({
      code: 144,
      error: 'IntegerTooSmall',
      details: { param: 'p', reason: expect.stringContaining('at least -90'), limit: -90 },
    });
    expect(one(latitude, '90.5')).toEqual({
      code: 152,
      error: 'IntegerTooBig',
      details: { param: 'p', reason: expect.stringContaining('at most 90'), limit: 90 },
    });
  });

  it.each([[['12']], [true], [{}]])('%j is not a number: 160', (value) => {
    expect(one(param.float(-90, 90), value)).toEqual({
      code: 160,
      error: 'NotAFloat',
      details: { param: 'p', reason: expect.stringContaining('number') },
    });
  });
});

describe('flags', () => {
  it.each([
    [true, true],
    ['true', true],
    [1, true],
    ['1', true],
    [false, false],
    ['false', false],
    [0, false],
    ['0', false],
  ] as const)('%j is read as %s', (value, read) => {
    expect(one(param.flag(), value)).toEqual(acceptedAs(read));
  });

  it.each([
    [2, 152, 'IntegerTooBig', 1],
    [-1, 144, 'IntegerTooSmall', 0],
  ] as const)('%j answers %d: only 0 and 1 are flags', (value, code, error, limit) => {
    expect(one(param.flag(), value)).toEqual({
      code,
      error,
      details: { param: 'p', reason: expect.stringContaining('0 or 1'), limit },
    });
  });

  it.each(['yes', 'True', ''])('%j answers 136', (value) => {
    expect(one(param.flag(), value)).toEqual({
      code: 136,
      error: 'NotAnInteger',
      details: { param: 'p', reason: expect.stringContaining('0 or 1') },
    });
  });
});

describe('references and new ids', () => {
  it.each([
    ['ref', param.ref()],
    ['parentRef', param.parentRef()],
  ] as const)(
    '%s: any non-empty string passes as sent, however long (one of the wrong form is not found later)',
    (_kind, schema) => {
      expect(one(schema, 'x'.repeat(128))).toEqual(acceptedAs('x'.repeat(128)));
      expect(one(schema, 'x'.repeat(5000))).toEqual(acceptedAs('x'.repeat(5000)));
    },
  );

  it.each<[unknown, string]>([
    ['', 'empty'],
    [7, 'a number'],
  ])('a ref that is %j (%s) answers 128 asking for an id', (value) => {
    expect(one(param.ref(), value)).toEqual({
      code: 128,
      error: 'MissingParameter',
      details: { param: 'p', reason: expect.stringContaining('an id string') },
    });
  });

  it('parent 0 or "0" is the top level; an empty one answers 128', () => {
    expect(one(param.parentRef(), 0)).toEqual(acceptedAs(null));
    expect(one(param.parentRef(), '0')).toEqual(acceptedAs(null));
    for (const value of ['', 5]) {
      expect(one(param.parentRef(), value)).toEqual({
        code: 128,
        error: 'MissingParameter',
        details: { param: 'p', reason: expect.stringContaining('folder id') },
      });
    }
  });

  it('a new id must have the prefix and a ULID; the reason says which prefix', () => {
    const cam = testId('cam', 1);
    expect(one(param.newId('cam'), cam)).toEqual(acceptedAs(cam));
    expect(one(param.newId('cam'), testId('itm', 1))).toEqual({
      code: 128,
      error: 'MissingParameter',
      details: { param: 'p', reason: expect.stringContaining('cam_') },
    });
  });
});

describe('date-times', () => {
  it('are normalised to ISO in UTC; an impossible one answers 128 saying why', () => {
    expect(one(param.datetime(), '2026-03-01 10:00:00')).toEqual(acceptedAs('2026-03-01T10:00:00.000Z'));
    expect(one(param.datetime(), '2026-02-30 10:00:00')).toEqual({
      code: 128,
      error: 'MissingParameter',
      details: { param: 'p', reason: expect.stringContaining('February') },
    });
  });
});

describe('lists', () => {
  const ids = param.list(param.ref(), 2);

  it('up to the maximum pass, each element checked and named by its index', () => {
    expect(one(ids, ['a', 'b'])).toEqual(acceptedAs(['a', 'b']));
    expect(one(ids, ['a', ''])).toMatchObject({ code: 128, details: { param: 'p.1' } });
  });

  it('one element too many answers 200 with the maximum', () => {
    expect(one(ids, ['a', 'b', 'c'])).toEqual({
      code: 200,
      error: 'StringTooLong',
      details: { param: 'p', reason: expect.stringContaining('at most 2'), limit: 2 },
    });
  });

  it.each(['ab', { 0: 'a' }])('%j is not a list: 128 saying so', (value) => {
    expect(one(ids, value)).toEqual({
      code: 128,
      error: 'MissingParameter',
      details: { param: 'p', reason: expect.stringContaining('list') },
    });
  });
});

describe('toRejection beyond the builders', () => {
  it('a payload that is not an object names "payload", with zod\'s reason', () => {
    expect(answer(z.object({ p: param.ref() }), 'hello')).toEqual({
      code: 128,
      error: 'MissingParameter',
      details: { param: 'payload', reason: expect.stringContaining('object') },
    });
  });

  it('a nested parameter is named by its dotted path', () => {
    const schema = z.object({ frames: z.array(z.object({ at: param.int(0, 9) })) });
    expect(answer(schema, { frames: [{ at: 1 }, { at: 10 }] })).toMatchObject({
      code: 152,
      details: { param: 'frames.1.at', limit: 9 },
    });
  });

  it('an error with no issue at all still answers 128', () => {
    expect(toRejection(new z.ZodError([]))).toMatchObject({
      code: 128,
      name: 'MissingParameter',
      details: { reason: expect.stringContaining('invalid') },
    });
  });
});
