import { z } from 'zod';
import { directoryAggregate, freeOrClaimedAs, type IdClaimed, isClaimed } from '../../directory/index.ts';
import { accept, acceptUnchanged, defineCommand, reject, reserving } from '../../kernel/index.ts';
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
 * A client-chosen user id is claimed in the directory first, create-only:
 * two registrations of one id under two usernames write two username
 * streams and would not conflict there, so they meet on `directory-<id>`.
 * A generated id is unique by construction and needs no claim.
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
      claimOfChosenId: payload.user_id === undefined ? null : await reader.read(directoryAggregate, userId),
    };
  },
  decide: (payload, { userId, reservation, account, claimOfChosenId }) => {
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
    const usernameKey = normalizeUsername(payload.username);
    // Claimed by a registration under another name: that one won the id
    // (and keeps it, even if it then lost its name to someone else).
    const claim = { kind: 'account', owner: userId, container: usernameKey } as const;
    if (claimOfChosenId && !freeOrClaimedAs(claimOfChosenId.state, claim))
      return reject('MissingParameter', {
        param: 'user_id',
        reason: 'already used by a registration with another username',
      });
    const claimed: UsernameClaimed = {
      type: 'UsernameClaimed',
      data: { userId, username: payload.username, displayName: payload.display_name ?? '' },
    };
    const decision = accept('Ok', reservation, [claimed], { user_id: userId });
    // Already claimed for this very registration: a retry after a crash between the claim and the name.
    if (!claimOfChosenId || isClaimed(claimOfChosenId.state)) return decision;
    const idClaimed: IdClaimed = { type: 'IdClaimed', data: { id: userId, ...claim } };
    return reserving(decision, claimOfChosenId, [idClaimed]);
  },
});
