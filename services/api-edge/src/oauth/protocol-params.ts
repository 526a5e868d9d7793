import type { Param } from './encoding.ts';

// Where a request's OAuth protocol parameters may travel (RFC 5849 §3.5): the
// Authorization header, the query string, a form body. All three count for
// the signature; the protocol values are read from whichever carries them.

/** What an `OAuth` Authorization header carried. */
export interface HeaderParams {
  readonly params: Param[];
  /**
   * A part that is not `name="value"` (unquoted, say): the client meant to
   * sign, so the request is refused as signed but invalid (4), not as unsigned (2).
   */
  readonly malformed: boolean;
}

/** The `OAuth` Authorization header's parameters (§3.5.1), values percent-decoded, `realm` left out; undefined for no such header. */
export function headerParams(authorization: string | undefined): HeaderParams | undefined {
  if (!authorization) return undefined;
  const match = /^\s*OAuth(?:\s+(.*))?$/is.exec(authorization);
  if (!match) return undefined;
  const params: Param[] = [];
  let malformed = false;
  for (const part of (match[1] ?? '').split(',')) {
    if (part.trim() === '') continue;
    const pair = /^\s*([^=\s]+)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!pair) {
      malformed = true;
      continue;
    }
    const [, name = '', value = ''] = pair;
    if (name === 'realm') continue;
    params.push([safeDecode(name), safeDecode(value)]);
  }
  return { params, malformed };
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export const isProtocolParam = ([name]: Param): boolean => name.startsWith('oauth_');

export interface ProtocolParams {
  readonly consumerKey?: string;
  readonly token?: string;
  readonly signatureMethod?: string;
  readonly signature?: string;
  readonly timestamp?: string;
  readonly nonce?: string;
  readonly version?: string;
  /** A protocol parameter sent more than once (§3.1 forbids it): the request cannot verify. */
  readonly repeated: boolean;
}

export function protocolParams(all: readonly Param[]): ProtocolParams {
  const seen = new Map<string, string>();
  let repeated = false;
  for (const [name, value] of all) {
    if (!name.startsWith('oauth_')) continue;
    if (seen.has(name)) repeated = true;
    seen.set(name, value);
  }
  const pick = (name: string) => seen.get(name);
  return {
    ...optional('consumerKey', pick('oauth_consumer_key')),
    ...optional('token', pick('oauth_token')),
    ...optional('signatureMethod', pick('oauth_signature_method')),
    ...optional('signature', pick('oauth_signature')),
    ...optional('timestamp', pick('oauth_timestamp')),
    ...optional('nonce', pick('oauth_nonce')),
    ...optional('version', pick('oauth_version')),
    repeated,
  };
}

const optional = <K extends string>(key: K, value: string | undefined) =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
