import { describe, expect, it } from 'vitest';
import type { CredentialLookup, NonceStore } from './credentials.ts';
import { formPairs, type Param } from './encoding.ts';
import { headerParams } from './protocol-params.ts';
import { authorizationHeader } from './sign-request.ts';
import { verifyRequest } from './verify.ts';

// The timestamp window at its edges, with the edge's clock pinned: a request
// signed at T is good while the clock reads within 300 s of T, to the
// millisecond, and not one millisecond longer.

const publicUrl = 'http://edge.test';
const consumer = { key: 'ock_1', secret: 'consumer secret' };
const token = { key: 'otk_1', secret: 'token secret' };

const credentials: CredentialLookup = {
  lookup: async () => ({
    consumer: { secret: consumer.secret, active: true },
    token: {
      secret: token.secret,
      consumerKey: consumer.key,
      userId: 'usr_1',
      active: true,
      userRegistered: true,
    },
  }),
};
const everyNonceFresh: NonceStore = { claim: async () => true };

const signedAt = new Date('2026-12-02T12:00:00.000Z');
const params = (): Param[] => {
  const header = authorizationHeader({
    method: 'GET',
    url: `${publicUrl}/item/get.json?x=1`,
    consumer,
    token,
    now: signedAt,
  });
  return [...(headerParams(header)?.params ?? []), ...formPairs('x=1')];
};
const verifyAt = (clockMs: number) =>
  verifyRequest(
    { method: 'GET', path: '/item/get.json', params: params() },
    { publicUrl, credentials, nonces: everyNonceFresh, now: () => new Date(clockMs) },
  );

describe('oauth_timestamp', () => {
  const t = signedAt.getTime();

  it('is accepted up to exactly 300 s either side of the edge clock', async () => {
    for (const offset of [0, 300_000, -300_000, 299_999])
      expect(await verifyAt(t + offset)).toEqual({ ok: true, actor: 'usr_1' });
  });

  it('is refused (4) once the clock is more than 300 s away, even by part of a second', async () => {
    for (const offset of [300_001, 300_500, 300_999, -300_001])
      expect(await verifyAt(t + offset)).toMatchObject({ ok: false, failure: 'InvalidSignature' });
  });
});
