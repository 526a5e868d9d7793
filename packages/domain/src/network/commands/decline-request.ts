import { accept, defineCommand, reject } from '../../kernel/index.ts';
import type { NetworkJoinRequestDeclined } from '../events.ts';
import { ownerGate, readNetwork } from '../rules.ts';
import { answerRequestPayload } from './approve-request.ts';

/** network.decline_request (owner only): the pending request is dropped; the user may ask again. */
export const declineRequest = defineCommand({
  name: 'network.decline_request',
  internal: false,
  payload: answerRequestPayload,
  load: async (p, _ctx, reader) => ({ network: await readNetwork(reader, p.network_id) }),
  decide(p, { network }, ctx) {
    const state = network.state;
    const refusal = ownerGate(state, String(ctx.actor), p.network_id);
    if (refusal) return refusal;
    if (!state.requests.has(p.user_id))
      return reject('InvitationNotFound', { network_id: p.network_id, user_id: p.user_id });
    const declined: NetworkJoinRequestDeclined = {
      type: 'NetworkJoinRequestDeclined',
      data: { networkId: p.network_id, userId: p.user_id },
    };
    return accept('JoinRequestDeclined', network, [declined]);
  },
});
