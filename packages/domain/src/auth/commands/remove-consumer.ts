import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { ConsumerRemoved } from '../events.ts';
import { consumerAggregate } from '../state.ts';

export const removeConsumerPayload = z.object({ consumer_key: param.ref() });

/** auth.remove_consumer (internal): the consumer and all its tokens stop working at the edge. */
export const removeConsumer = defineCommand({
  name: 'auth.remove_consumer',
  internal: true,
  payload: removeConsumerPayload,
  load: async (payload, _ctx, reader) => ({
    consumer: await reader.read(consumerAggregate, payload.consumer_key),
  }),
  decide: (payload, { consumer }) => {
    if (consumer.state.standing === 'none')
      return reject('MissingParameter', { param: 'consumer_key', reason: 'unknown consumer_key' });
    if (consumer.state.standing === 'removed') return acceptUnchanged('Ok');
    const removed: ConsumerRemoved = { type: 'ConsumerRemoved', data: { consumerKey: payload.consumer_key } };
    return accept('Ok', consumer, [removed]);
  },
});
