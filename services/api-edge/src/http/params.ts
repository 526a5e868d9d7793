import { maxNesting, nestedDeeperThan } from '@camledger/domain';
import { formPairs, type Param } from '../oauth/encoding.ts';

// Where a request's parameters come from (DOMAIN.md §6): the query string
// (GET), a form or JSON body (POST). Lists arrive as repeated `name[]=` or as
// JSON arrays. OAuth's own parameters are not the command's.

export type BodyKind = 'none' | 'form' | 'json' | 'other';

export const bodyKindOf = (contentType: string | undefined, hasBody: boolean): BodyKind => {
  if (!hasBody) return 'none';
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'application/json' || type?.endsWith('+json')) return 'json';
  return 'other';
};

/**
 * Pairs into a payload: `name[]` collects a list, a plain name repeated keeps
 * its last value. Collected in a Map and grown in place: a list of 200k
 * entries (a 1 MiB body of `a[]=&`) costs one pass, and a name such as
 * `__proto__` is a parameter like any other, not the object's prototype.
 */
export function payloadOfPairs(pairs: readonly Param[]): Record<string, unknown> {
  const payload = new Map<string, string | string[]>();
  for (const [name, value] of pairs) {
    if (name.startsWith('oauth_')) continue;
    if (name.endsWith('[]')) {
      const key = name.slice(0, -2);
      const list = payload.get(key);
      if (Array.isArray(list)) list.push(value);
      else payload.set(key, [value]);
    } else payload.set(name, value);
  }
  return Object.fromEntries(payload);
}

export type ReadBody =
  | { readonly ok: true; readonly payload: Record<string, unknown>; readonly signed: readonly Param[] }
  | { readonly ok: false; readonly param: string; readonly reason: string };

/** A body's bytes as text, or undefined when they are not UTF-8 (answered 128 once authentication passed). */
export function bodyText(bytes: Uint8Array | undefined): string | undefined {
  if (!bytes || bytes.length === 0) return '';
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
// The BOM is kept, as Fastify's own decoding kept it: a JSON body starting
// with one is not JSON, and a form's first name is what the client signed.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The body's parameters, and those of them the signature covers (a form
 * body's, RFC 5849 §3.4.1.3.1; never a JSON body's). A body that cannot be
 * read is answered 128 once authentication and routing passed.
 */
export function readBody(kind: BodyKind, text: string | undefined): ReadBody {
  if (kind === 'none') return { ok: true, payload: {}, signed: [] };
  if (text === undefined) return { ok: false, param: 'body', reason: 'the body is not UTF-8' };
  if (kind === 'form') {
    const pairs = formPairs(text);
    return { ok: true, payload: payloadOfPairs(pairs), signed: pairs };
  }
  if (kind === 'other')
    return {
      ok: false,
      param: 'body',
      reason: 'the body must be application/x-www-form-urlencoded or JSON',
    };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, param: 'body', reason: 'the body is not valid JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return { ok: false, param: 'body', reason: 'the JSON body must be an object of parameters' };
  // As the worker refuses an envelope nested this deep (the edge would fail
  // to even forward one a few thousand levels deep). The body becomes the
  // envelope's payload, one level down: one level less here.
  const tooDeep = nestedDeeperThan(parsed, maxNesting - 1);
  if (tooDeep !== undefined)
    return { ok: false, param: tooDeep, reason: `nested deeper than ${maxNesting} levels` };
  const payload = Object.fromEntries(Object.entries(parsed).filter(([name]) => !name.startsWith('oauth_')));
  return { ok: true, payload, signed: [] };
}
