import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { NetworkJoinRequestApproved } from '../events.ts';
import { ownerGate, readNetwork } from '../rules.ts';
import { isMember } from '../state.ts';

export const answerRequestPayload = z.object({ network_id: param.ref(), user_id: param.ref() });

/**
 * network.approve_request (owner only): the requester becomes a member with
 * the cameras of the request. A requester who has joined since (another
 * route, or this approval repeated) is already where the owner wants them:
 * 15300 with nothing written.
 */
export const approveRequest = defineCommand({
  name: 'network.approve_request',
  internal: false,
  payload: answerRequestPayload,
  load: async (p, _ctx, reader) => ({ network: await readNetwork(reader, p.network_id) }),
  decide(p, { network }, ctx) {
    const state = network.state;
    const refusal = ownerGate(state, String(ctx.actor), p.network_id);
    if (refusal) return refusal;
    const request = state.requests.get(p.user_id);
    if (!request) {
      if (isMember(state, p.user_id)) return acceptUnchanged('JoinRequestApproved');
      return reject('InvitationNotFound', { network_id: p.network_id, user_id: p.user_id });
    }
    const approved: NetworkJoinRequestApproved = {
      type: 'NetworkJoinRequestApproved',
      data: { networkId: p.network_id, userId: p.user_id, cameras: request.cameras },
    };
    return accept('JoinRequestApproved', network, [approved]);
  },
});
