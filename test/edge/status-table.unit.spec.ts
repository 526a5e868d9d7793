import { readFileSync } from 'node:fs';
import { statusOf, statusTable } from '@camledger/api-edge';
import { failures, successes } from '@camledger/domain';
import { describe, expect, it } from 'vitest';
import { render } from '../../services/api-edge/src/http/body.ts';
import { parsePath } from '../../services/api-edge/src/http/path.ts';

describe('the HTTP status table (DOMAIN.md §6)', () => {
  it.each(Object.entries(failures))('has a status for %s', (_name, { code }) => {
    expect(statusTable.has(code)).toBe(true);
  });

  it.each(Object.entries(successes))('answers %s with 200', (_name, { code }) => {
    expect(statusOf(code)).toBe(200);
  });

  it('holds no code the catalogue does not define', () => {
    const known = new Set(
      [...Object.values(failures), ...Object.values(successes)].map((c) => c.code as number),
    );
    for (const code of statusTable.keys()) expect(known.has(code), String(code)).toBe(true);
  });

  it('gives every code the status docs/contract/edge.md lists it under', () => {
    const doc = readFileSync(new URL('../../docs/contract/edge.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| (\d{3}) \| ([\d, ]+) \|$/gm)].map(
      ([, status, codes]) => [Number(status), (codes ?? '').split(',').map(Number)] as const,
    );
    expect(rows.map(([status]) => status)).toEqual([400, 401, 402, 403, 404, 405, 409, 410, 500]);
    for (const [status, codes] of rows)
      for (const code of codes) expect(statusOf(code), `code ${code}`).toBe(status);
  });

  it('gives the statuses of the table', () => {
    expect([2, 4, 8].map(statusOf)).toEqual([401, 401, 401]);
    expect([statusOf(1000), statusOf(32), statusOf(3008), statusOf(7000), statusOf(1500)]).toEqual([
      402, 405, 410, 409, 500,
    ]);
  });
});

describe('paths', () => {
  it('reads /<object>/<action>.<format>; any other ending is 1; no action is a name-less path', () => {
    expect(parsePath('/folder/create.json')).toEqual({ ok: true, format: 'json', name: 'folder.create' });
    expect(parsePath('/item/get_list.xml')).toEqual({ ok: true, format: 'xml', name: 'item.get_list' });
    expect(parsePath('/folder/create.txt')).toEqual({ ok: false, failure: 'MissingOrInvalidFormat' });
    expect(parsePath('/folder/create')).toEqual({ ok: false, failure: 'MissingOrInvalidFormat' });
    for (const p of ['/item.json', '/item/.json', '/a/b/c.json', '/.json'])
      expect(parsePath(p)).toMatchObject({ ok: true, name: undefined });
  });
});

describe('XML bodies', () => {
  it('lists repeat their element, objects nest, null is an empty element', () => {
    const { text } = render(
      {
        code: 10000,
        message: 'OK',
        result: {
          folders: [
            { folder_id: 'fld_1', parent: null },
            { folder_id: 'fld_2', parent: null },
          ],
          total: 2,
          stale: false,
        },
      },
      'xml',
    );
    expect(text).toContain(
      '<response><code>10000</code><message>OK</message><result><folders><folder><folder_id>fld_1</folder_id><parent></parent></folder><folder><folder_id>fld_2</folder_id><parent></parent></folder></folders><total>2</total><stale>false</stale></result></response>',
    );
  });

  it('text is escaped', () => {
    expect(render({ message: '<a & b>' }, 'xml').text).toContain('<message>&lt;a &amp; b&gt;</message>');
  });
});
