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

/** Pairs into a payload: `name[]` collects a list, a plain name repeated keeps its last value. */
export function payloadOfPairs(pairs: readonly Param[]): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [name, value] of pairs) {
    if (name.startsWith('oauth_')) continue;
    if (name.endsWith('[]')) {
      const key = name.slice(0, -2);
      const list = payload[key];
      payload[key] = Array.isArray(list) ? [...list, value] : [value];
    } else payload[name] = value;
  }
  return payload;
}

export type ReadBody =
  | { readonly ok: true; readonly payload: Record<string, unknown>; readonly signed: readonly Param[] }
  | { readonly ok: false; readonly reason: string };

/**
 * The body's parameters, and those of them the signature covers (a form
 * body's, RFC 5849 §3.4.1.3.1; never a JSON body's). A body that cannot be
 * read is answered 128 once authentication and routing passed.
 */
export function readBody(kind: BodyKind, text: string): ReadBody {
  if (kind === 'none') return { ok: true, payload: {}, signed: [] };
  if (kind === 'form') {
    const pairs = formPairs(text);
    return { ok: true, payload: payloadOfPairs(pairs), signed: pairs };
  }
  if (kind === 'other')
    return { ok: false, reason: 'the body must be application/x-www-form-urlencoded or JSON' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the body is not valid JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return { ok: false, reason: 'the JSON body must be an object of parameters' };
  const payload = Object.fromEntries(Object.entries(parsed).filter(([name]) => !name.startsWith('oauth_')));
  return { ok: true, payload, signed: [] };
}
