import { expect, it } from 'vitest';
import { bodyText, readBody } from './params.ts';

// What the edge reads from a body before it becomes a command's payload.

const nested = (levels: number) => `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`;

it('refuses a JSON body exactly where the worker would refuse it as a payload (32 levels, the envelope one above)', () => {
  expect(readBody('json', nested(30))).toMatchObject({ ok: true });
  expect(readBody('json', nested(31))).toEqual({
    ok: false,
    param: 'a',
    reason: 'nested deeper than 32 levels',
  });
});

it('keeps a UTF-8 BOM, so a JSON body starting with one is not JSON; refuses bytes that are not UTF-8', () => {
  const withBom = bodyText(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a":1}')]));
  expect(readBody('json', withBom)).toMatchObject({
    ok: false,
    param: 'body',
    reason: 'the body is not valid JSON',
  });
  expect(readBody('json', bodyText(new Uint8Array([0x7b, 0xff, 0x7d])))).toEqual({
    ok: false,
    param: 'body',
    reason: 'the body is not UTF-8',
  });
  expect(bodyText(new Uint8Array())).toBe('');
});

it('collects name[] lists in one pass and takes __proto__ as a parameter like any other', () => {
  const form = `x=1&x=2&${'l[]=v&'.repeat(200_000)}__proto__=p`;
  const read = readBody('form', form);
  expect(read.ok && read.payload.x).toBe('2');
  expect(read.ok && (read.payload.l as string[]).length).toBe(200_000);
  expect(read.ok && Object.hasOwn(read.payload, '__proto__')).toBe(true);
});
