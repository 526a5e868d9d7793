import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { TokenRevoked } from '../events.ts';
import { tokenAggregate } from '../state.ts';

export const revokeTokenPayload = z.object({ token: param.ref() });

/** auth.revoke_token (internal): the token stops working at the edge (8); revoking it again changes nothing. */
export const revokeToken = defineCommand({
  name: 'auth.revoke_token',
  internal: true,
  payload: revokeTokenPayload,
  load: async (payload, _ctx, reader) => ({ token: await reader.read(tokenAggregate, payload.token) }),
  decide: (payload, { token }) => {
    if (token.state.standing === 'none')
      return reject('MissingParameter', { param: 'token', reason: 'unknown token' });
    if (token.state.standing === 'removed') return acceptUnchanged('Ok');
    const revoked: TokenRevoked = { type: 'TokenRevoked', data: { token: payload.token } };
    return accept('Ok', token, [revoked]);
  },
});
