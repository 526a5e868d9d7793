import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { UsernameClaimed } from '../events.ts';
import { accountAggregate, isRegistered, normalizeUsername, usernameAggregate } from '../state.ts';
import { displayName, username } from './params.ts';

export const registerPayload = z.object({
  user_id: param.newId('usr').optional(),
  username: username(),
  display_name: displayName().optional(),
});

/**
 * account.register (internal, from the identity service). It writes the
 * username's reservation stream, the boundary of the uniqueness rule; the
 * account itself is opened by `account.open`, the follow-up of the claim.
 */
export const register = defineCommand({
  name: 'account.register',
  internal: true,
  payload: registerPayload,
  load: async (payload, ctx, reader) => {
    const userId = payload.user_id ?? ctx.newId('usr');
    return {
      userId,
      reservation: await reader.read(usernameAggregate, normalizeUsername(payload.username)),
      account: await reader.read(accountAggregate, userId),
    };
  },
  decide: (payload, { userId, reservation, account }) => {
    const owner = reservation.state.owner;
    if (owner !== null && owner !== userId) return reject('UsernameTaken', { param: 'username' });
    // The same user registering the same name again is a repeat of one intent.
    if (owner === userId) return acceptUnchanged('Ok', { user_id: userId });
    // One user, one username: a second name for an existing account is not a registration.
    if (isRegistered(account.state))
      return reject('MissingParameter', {
        param: 'user_id',
        reason: 'already registered with another username',
      });
    const claimed: UsernameClaimed = {
      type: 'UsernameClaimed',
      data: { userId, username: payload.username, displayName: payload.display_name ?? '' },
    };
    return accept('Ok', reservation, [claimed], { user_id: userId });
  },
});
