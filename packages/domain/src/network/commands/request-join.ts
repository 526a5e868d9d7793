import { accept, acceptUnchanged, defineCommand, reject } from '../../kernel/index.ts';
import type { NetworkJoinRequested } from '../events.ts';
import {
  checkCameras,
  gate,
  isRejected,
  loadNetworkWithCameras,
  networkWithCamerasPayload,
} from '../rules.ts';
import { isMember } from '../state.ts';

const sameCameras = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id, i) => id === b[i]);

/**
 * network.request_join: asks the owner to let the actor in, offering
 * cameras (checked now, as a join checks them). Asking again with the same
 * cameras changes nothing; with other cameras it replaces the request.
 */
export const requestJoin = defineCommand({
  name: 'network.request_join',
  internal: false,
  payload: networkWithCamerasPayload,
  load: loadNetworkWithCameras,
  decide(p, { network, offered }, ctx) {
    const actor = String(ctx.actor);
    const state = network.state;
    const refusal = gate(state, actor, p.network_id);
    if (refusal) return refusal;
    if (isMember(state, actor)) return reject('AlreadyMember', { network_id: p.network_id });
    const cameras = checkCameras(p.cameras, offered, actor, state.requiresCameras);
    if (isRejected(cameras)) return cameras;
    const pending = state.requests.get(actor);
    if (pending && sameCameras(pending.cameras, cameras)) return acceptUnchanged('Ok');
    const requested: NetworkJoinRequested = {
      type: 'NetworkJoinRequested',
      data: { networkId: p.network_id, userId: actor, cameras },
    };
    return accept('Ok', network, [requested]);
  },
});
