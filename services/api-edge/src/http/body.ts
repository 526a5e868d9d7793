import { XMLBuilder } from 'fast-xml-parser';
import type { Format } from './path.ts';

// The response bodies of DOMAIN.md §6, in JSON or XML.

export type Body = Readonly<Record<string, unknown>>;

const builder = new XMLBuilder({ format: false, suppressEmptyNode: false });

/**
 * The element name of one entry of a list: the list's name in the singular
 * (`folders` -> `folder`, `items` -> `item`, `replies` -> `reply`); a name
 * that is not a plural gets `entry`.
 */
export const entryName = (list: string): string =>
  list.endsWith('ies') ? `${list.slice(0, -3)}y` : list.endsWith('s') ? list.slice(0, -1) : 'entry';

/**
 * Rewrites a value into the shape the XML builder writes as §6 wants: an
 * object becomes child elements, a list repeats its singular element inside
 * the list's element, null becomes an empty element, booleans `true`/`false`.
 */
function forXml(value: unknown, name: string): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    const entry = entryName(name);
    return { [entry]: value.map((v) => forXml(v, entry)) };
  }
  if (typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forXml(v, k)]));
  return xmlText(String(value));
}

/**
 * Text as XML 1.0 can carry it. Free text is stored as sent, and JSON can hold
 * characters XML cannot (most C0 controls, lone surrogates, U+FFFE and U+FFFF):
 * each becomes U+FFFD, so the document stays well formed. (The builder escapes
 * `& < > ' "`.)
 */
const notInXml = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const xmlText = (text: string): string => text.replace(notInXml, '\uFFFD');

export function render(body: Body, format: Format): { readonly type: string; readonly text: string } {
  if (format === 'json') return { type: 'application/json; charset=utf-8', text: JSON.stringify(body) };
  const xml = builder.build({ response: forXml(body, 'response') }) as string;
  return { type: 'application/xml; charset=utf-8', text: `<?xml version="1.0" encoding="UTF-8"?>${xml}` };
}
