import { createHash } from 'node:crypto';
import type { CredentialLookup, NonceStore } from './credentials.ts';
import type { Param } from './encoding.ts';
import { isProtocolParam, protocolParams } from './protocol-params.ts';
import { baseStringUri, isSignatureMethod, sameSignature, sign, signatureBaseString } from './signature.ts';

/** How far a request's oauth_timestamp may be from the edge's clock (DOMAIN.md §6). */
export const timestampWindowSeconds = 300;

export interface SignedRequest {
  readonly method: string;
  /** The request path, without the query string. */
  readonly path: string;
  /** Every parameter of the Authorization header, the query string and a form body. */
  readonly params: readonly Param[];
  /** The Authorization header said `OAuth` but held a part that is not `name="value"`. */
  readonly malformedHeader?: boolean;
}

export interface VerifyDeps {
  readonly publicUrl: string;
  readonly credentials: CredentialLookup;
  readonly nonces: NonceStore;
  readonly now: () => Date;
}

export type Verdict =
  | { readonly ok: true; readonly actor: string }
  | {
      readonly ok: false;
      readonly failure: 'RequestNotSigned' | 'InvalidSignature' | 'UnknownUser';
      readonly reason: string;
    };

const refuse = (failure: Extract<Verdict, { ok: false }>['failure'], reason: string): Verdict => ({
  ok: false,
  failure,
  reason,
});

/**
 * OAuth 1.0a (RFC 5849) in the order of DOMAIN.md §6. Each step is one rule;
 * the first that fails decides the answer, so a client learns no more than
 * the step it failed at.
 */
export async function verifyRequest(request: SignedRequest, deps: VerifyDeps): Promise<Verdict> {
  // 2: no OAuth parameters anywhere. An OAuth header that does not parse is
  // an attempt at signing, refused as one that does not verify.
  if (request.malformedHeader)
    return refuse('InvalidSignature', 'the OAuth Authorization header is not a list of name="value" pairs');
  if (!request.params.some(isProtocolParam)) return refuse('RequestNotSigned', 'no OAuth parameters');
  const oauth = protocolParams(request.params);

  // 4: an unknown or removed consumer. Token and consumer are asked in one round trip.
  if (!oauth.consumerKey) return refuse('InvalidSignature', 'no oauth_consumer_key');
  const { consumer, token } = await deps.credentials.lookup(oauth.consumerKey, oauth.token);
  if (!consumer?.active) return refuse('InvalidSignature', 'unknown consumer');

  // 4: a timestamp more than 300 s from the edge's clock (or none). Compared in
  // milliseconds: a clock rounded to whole seconds would accept a timestamp for
  // 601 s, one second longer than a nonce is sure to be remembered.
  const timestamp = /^\d{1,12}$/.test(oauth.timestamp ?? '') ? Number(oauth.timestamp) : undefined;
  if (
    timestamp === undefined ||
    Math.abs(deps.now().getTime() - timestamp * 1000) > timestampWindowSeconds * 1000
  )
    return refuse('InvalidSignature', `oauth_timestamp missing or more than ${timestampWindowSeconds} s off`);

  // 8: no token, or one that is unknown (to this consumer): its signature cannot be checked.
  if (!oauth.token) return refuse('UnknownUser', 'no oauth_token');
  if (!token || token.consumerKey !== oauth.consumerKey) return refuse('UnknownUser', 'unknown token');

  // 4: a signature that does not verify, compared in constant time.
  if (oauth.repeated) return refuse('InvalidSignature', 'an OAuth parameter was sent twice');
  if (!isSignatureMethod(oauth.signatureMethod))
    return refuse('InvalidSignature', 'oauth_signature_method must be HMAC-SHA1 or HMAC-SHA256');
  if (oauth.version !== undefined && oauth.version !== '1.0')
    return refuse('InvalidSignature', 'oauth_version must be 1.0');
  if (!oauth.signature || !oauth.nonce)
    return refuse('InvalidSignature', 'no oauth_signature or oauth_nonce');
  const base = signatureBaseString(
    request.method,
    baseStringUri(deps.publicUrl, request.path),
    request.params,
  );
  const expected = sign(oauth.signatureMethod, base, consumer.secret, token.secret);
  if (!sameSignature(expected, oauth.signature))
    return refuse('InvalidSignature', 'signature does not verify');

  // 4: a nonce this consumer and token already used with this timestamp. Only
  // now is it recorded: an unverified request must not burn a client's nonce.
  const nonceKey = createHash('sha256')
    .update(JSON.stringify([oauth.consumerKey, oauth.token, oauth.timestamp, oauth.nonce]))
    .digest('hex');
  if (!(await deps.nonces.claim(nonceKey))) return refuse('InvalidSignature', 'nonce already used');

  // 8: a revoked token, or one whose user is not registered.
  if (!token.active) return refuse('UnknownUser', 'token revoked');
  if (!token.userRegistered) return refuse('UnknownUser', 'the token user is not registered');

  return { ok: true, actor: token.userId };
}
