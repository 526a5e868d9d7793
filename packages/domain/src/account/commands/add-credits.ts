import { z } from 'zod';
import { accept, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { CreditsAdded } from '../events.ts';
import { accountAggregate, isRegistered } from '../state.ts';

export const addCreditsPayload = z.object({
  user_id: param.ref(),
  credits: param.int(1, 1_000_000),
});

/** account.add_credits (internal, from billing): tops up the balance live view spends. */
export const addCredits = defineCommand({
  name: 'account.add_credits',
  internal: true,
  payload: addCreditsPayload,
  load: async (payload, _ctx, reader) => ({ account: await reader.read(accountAggregate, payload.user_id) }),
  decide: (payload, { account }) => {
    if (!isRegistered(account.state)) return reject('UnknownUser', { param: 'user_id' });
    const added: CreditsAdded = { type: 'CreditsAdded', data: { credits: payload.credits } };
    return accept('Ok', account, [added]);
  },
});
