import { z } from 'zod';
import { accept, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { NetworkLeft } from '../events.ts';
import { gate, readNetwork } from '../rules.ts';
import { isMember } from '../state.ts';

export const leavePayload = z.object({ network_id: param.ref() });

/**
 * network.leave: a member leaves, with their cameras. The owner cannot: a
 * network always has its owner as a member (the catalogue has no code for
 * this, so it is 128 with a reason; see docs/domain/social.md).
 */
export const leaveNetwork = defineCommand({
  name: 'network.leave',
  internal: false,
  payload: leavePayload,
  load: async (p, _ctx, reader) => ({ network: await readNetwork(reader, p.network_id) }),
  decide(p, { network }, ctx) {
    const actor = String(ctx.actor);
    const state = network.state;
    const refusal = gate(state, actor, p.network_id);
    if (refusal) return refusal;
    if (!isMember(state, actor)) return reject('NotNetworkMember', { network_id: p.network_id });
    if (state.ownerId === actor)
      return reject('MissingParameter', {
        param: 'network_id',
        reason: 'the owner cannot leave their own network; delete it instead',
      });
    const left: NetworkLeft = { type: 'NetworkLeft', data: { networkId: p.network_id, userId: actor } };
    return accept('NetworkLeft', network, [left]);
  },
});
