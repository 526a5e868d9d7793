import { z } from 'zod';
import { accept, defineCommand } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { NetworkDeleted } from '../events.ts';
import { ownerGate, readNetwork } from '../rules.ts';

export const deleteNetworkPayload = z.object({ network_id: param.ref() });

/** network.delete (owner only): from then on every command on the network answers 5000. */
export const deleteNetwork = defineCommand({
  name: 'network.delete',
  internal: false,
  payload: deleteNetworkPayload,
  load: async (p, _ctx, reader) => ({ network: await readNetwork(reader, p.network_id) }),
  decide(p, { network }, ctx) {
    const refusal = ownerGate(network.state, String(ctx.actor), p.network_id);
    if (refusal) return refusal;
    const deleted: NetworkDeleted = { type: 'NetworkDeleted', data: { networkId: p.network_id } };
    return accept('NetworkDeleted', network, [deleted]);
  },
});
