import { randomBytes } from 'node:crypto';
import { formPairs, type Param, percentEncode } from './encoding.ts';
import { type SignatureMethod, sign, signatureBaseString } from './signature.ts';

/**
 * The `Authorization: OAuth …` header for one request, as a client would
 * sign it (the CLI's `camledger edge sign`, for curl): the same base string
 * and HMAC the edge verifies with, over the URL's query and any form body.
 */
export function authorizationHeader(request: {
  readonly method: string;
  readonly url: string;
  readonly form?: string;
  readonly consumer: { readonly key: string; readonly secret: string };
  readonly token: { readonly key: string; readonly secret: string };
  readonly signatureMethod?: SignatureMethod;
  readonly now?: Date;
}): string {
  const url = new URL(request.url);
  const method = request.signatureMethod ?? 'HMAC-SHA1';
  const oauth: Param[] = [
    ['oauth_consumer_key', request.consumer.key],
    ['oauth_token', request.token.key],
    ['oauth_signature_method', method],
    ['oauth_timestamp', String(Math.floor((request.now ?? new Date()).getTime() / 1000))],
    ['oauth_nonce', randomBytes(16).toString('hex')],
    ['oauth_version', '1.0'],
  ];
  const params = [...oauth, ...formPairs(url.search.slice(1)), ...formPairs(request.form ?? '')];
  const base = signatureBaseString(request.method, `${url.origin}${url.pathname}`, params);
  const signature = sign(method, base, request.consumer.secret, request.token.secret);
  return `OAuth ${[...oauth, ['oauth_signature', signature] as const]
    .map(([name, value]) => `${name}="${percentEncode(value)}"`)
    .join(', ')}`;
}
