import { accept, defineCommand, reject } from '../../kernel/index.ts';
import type { NetworkJoined } from '../events.ts';
import {
  checkCameras,
  gate,
  isRejected,
  loadNetworkWithCameras,
  networkWithCamerasPayload,
} from '../rules.ts';
import { isMember } from '../state.ts';

/** network.join: anyone may join a public network directly, with the cameras it asks for. */
export const joinNetwork = defineCommand({
  name: 'network.join',
  internal: false,
  payload: networkWithCamerasPayload,
  load: loadNetworkWithCameras,
  decide(p, { network, offered }, ctx) {
    const actor = String(ctx.actor);
    const state = network.state;
    const refusal = gate(state, actor, p.network_id);
    if (refusal) return refusal;
    if (state.type !== 'public') return reject('NetworkNotPublic', { network_id: p.network_id });
    if (isMember(state, actor)) return reject('AlreadyMember', { network_id: p.network_id });
    const cameras = checkCameras(p.cameras, offered, actor, state.requiresCameras);
    if (isRejected(cameras)) return cameras;
    const joined: NetworkJoined = {
      type: 'NetworkJoined',
      data: { networkId: p.network_id, userId: actor, cameras },
    };
    return accept('NetworkJoined', network, [joined]);
  },
});
