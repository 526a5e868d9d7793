import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { AccountRegistered } from '../events.ts';
import { accountAggregate, isRegistered, normalizeUsername } from '../state.ts';
import { displayName, username } from './params.ts';

export const openPayload = z.object({
  user_id: param.newId('usr'),
  username: username(),
  display_name: displayName(),
});

/**
 * account.open (internal, the follow-up of `UsernameClaimed`): opens the
 * account stream once the name is reserved. Run again for the same claim it
 * changes nothing, as every follow-up must.
 */
export const open = defineCommand({
  name: 'account.open',
  internal: true,
  followUpOnly: true,
  payload: openPayload,
  load: async (payload, _ctx, reader) => ({ account: await reader.read(accountAggregate, payload.user_id) }),
  decide: (payload, { account }) => {
    if (isRegistered(account.state)) {
      const same = normalizeUsername(account.state.username) === normalizeUsername(payload.username);
      return same
        ? acceptUnchanged('Ok', { user_id: payload.user_id })
        : reject('MissingParameter', {
            param: 'user_id',
            reason: 'already registered with another username',
          });
    }
    const registered: AccountRegistered = {
      type: 'AccountRegistered',
      data: { userId: payload.user_id, username: payload.username, displayName: payload.display_name },
    };
    return accept('Ok', account, [registered], { user_id: payload.user_id });
  },
});
