import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, derivedIdTaken } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { ConsumerAdded } from '../events.ts';
import { consumerAggregate } from '../state.ts';
import { secretsOf } from './secrets.ts';

export const addConsumerPayload = z.object({ name: param.text(1, 64) });

/**
 * auth.add_consumer (internal, identity service): a client application that
 * may sign requests to the edge. The key is derived from the command (so a
 * retry after a crash finds its own consumer, not a second one); the secret
 * comes from the context's secure random source and is only ever kept and
 * answered sealed.
 */
export const addConsumer = defineCommand({
  name: 'auth.add_consumer',
  internal: true,
  payload: addConsumerPayload,
  load: async (_payload, ctx, reader) => ({
    consumer: await reader.read(consumerAggregate, ctx.newId('ock')),
  }),
  decide: (payload, { consumer }, ctx) => {
    const consumerKey = consumer.stream.slice(`${consumerAggregate.category}-`.length);
    if (consumer.state.standing !== 'none') {
      // Added by this very command (its reply was lost): answer as then. Another
      // application's key and secret are never handed over.
      const same = consumer.state.standing === 'active' && consumer.state.name === payload.name;
      return same
        ? acceptUnchanged('Ok', { consumer_key: consumerKey, consumer_secret: consumer.state.secret })
        : derivedIdTaken(ctx.commandId);
    }
    const secret = secretsOf(ctx).seal(secretsOf(ctx).fresh());
    const added: ConsumerAdded = { type: 'ConsumerAdded', data: { consumerKey, name: payload.name, secret } };
    return accept('Ok', consumer, [added], { consumer_key: consumerKey, consumer_secret: secret });
  },
});
