import { z } from 'zod';
import { accountAggregate, isRegistered } from '../../account/index.ts';
import { accept, acceptUnchanged, defineCommand, derivedIdTaken, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { TokenIssued } from '../events.ts';
import { consumerAggregate, tokenAggregate } from '../state.ts';
import { secretsOf } from './secrets.ts';

export const issueTokenPayload = z.object({ consumer_key: param.ref(), user_id: param.ref() });

/**
 * auth.issue_token (internal): a user's authorisation of one consumer. The
 * token is derived from the command, its secret drawn from the context's
 * secure random source and kept sealed. 8 before 128: the table's order.
 */
export const issueToken = defineCommand({
  name: 'auth.issue_token',
  internal: true,
  payload: issueTokenPayload,
  load: async (payload, ctx, reader) => {
    const [account, consumer, token] = await Promise.all([
      reader.read(accountAggregate, payload.user_id),
      reader.read(consumerAggregate, payload.consumer_key),
      reader.read(tokenAggregate, ctx.newId('otk')),
    ]);
    return { account, consumer, token };
  },
  decide: (payload, { account, consumer, token }, ctx) => {
    if (!isRegistered(account.state)) return reject('UnknownUser', { param: 'user_id' });
    if (consumer.state.standing !== 'active')
      return reject('MissingParameter', { param: 'consumer_key', reason: 'unknown consumer_key' });
    const tokenId = token.stream.slice(`${tokenAggregate.category}-`.length);
    if (token.state.standing !== 'none') {
      // Issued by this very command (its reply was lost): answer as then. A
      // token of another user or consumer is never handed over, secret and all.
      const same =
        token.state.standing === 'active' &&
        token.state.userId === payload.user_id &&
        token.state.consumerKey === payload.consumer_key;
      return same
        ? acceptUnchanged('Ok', { token: tokenId, token_secret: token.state.secret })
        : derivedIdTaken(ctx.commandId);
    }
    const secret = secretsOf(ctx).seal(secretsOf(ctx).fresh());
    const issued: TokenIssued = {
      type: 'TokenIssued',
      data: { token: tokenId, consumerKey: payload.consumer_key, userId: payload.user_id, secret },
    };
    return accept('Ok', token, [issued], { token: tokenId, token_secret: secret });
  },
});
