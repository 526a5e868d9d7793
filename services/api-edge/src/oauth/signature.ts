import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type Param, percentEncode } from './encoding.ts';

// RFC 5849 §3.4: the signature base string and HMAC-SHA1 / HMAC-SHA256.

export const signatureMethods = { 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256' } as const;
export type SignatureMethod = keyof typeof signatureMethods;

export const isSignatureMethod = (method: string | undefined): method is SignatureMethod =>
  method !== undefined && Object.hasOwn(signatureMethods, method);

/**
 * §3.4.1.2: the base string URI is the public URL clients sign (the edge sits
 * behind a proxy: the host it sees is not theirs) plus the request path,
 * scheme and host in lower case, default ports left out, no query.
 */
export function baseStringUri(publicUrl: string, path: string): string {
  const url = new URL(publicUrl);
  const prefix = url.pathname.replace(/\/+$/, '');
  // URL drops the default port of its scheme already; host is lower-cased by URL too.
  return `${url.protocol}//${url.host}${prefix}${path}`;
}

/** §3.4.1.3.2: every parameter but oauth_signature, encoded, sorted by name then value, joined. */
export function normalizedParams(params: readonly Param[]): string {
  return params
    .filter(([name]) => name !== 'oauth_signature')
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** §3.4.1.1: METHOD & encoded base URI & encoded normalised parameters. */
export const signatureBaseString = (method: string, uri: string, params: readonly Param[]): string =>
  [method.toUpperCase(), percentEncode(uri), percentEncode(normalizedParams(params))].join('&');

/** §3.4.2: HMAC keyed with the encoded consumer secret & encoded token secret, base64. */
export function sign(
  method: SignatureMethod,
  baseString: string,
  consumerSecret: string,
  tokenSecret: string,
): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac(signatureMethods[method], key).update(baseString).digest('base64');
}

/**
 * Constant time whatever the inputs: both sides are hashed to 32 bytes first,
 * so neither the content nor the length of the expected signature leaks
 * through how long the comparison takes.
 */
export function sameSignature(expected: string, given: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}
