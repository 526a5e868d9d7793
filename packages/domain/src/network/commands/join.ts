import { z } from 'zod';
import { accept, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { NetworkJoined } from '../events.ts';
import { camerasParam, checkCameras, gate, isRejected, loadCameras, readNetwork } from '../rules.ts';
import { isMember } from '../state.ts';

export const joinNetworkPayload = z.object({ network_id: param.ref(), cameras: camerasParam() });

/** network.join: anyone may join a public network directly, with the cameras it asks for. */
export const joinNetwork = defineCommand({
  name: 'network.join',
  internal: false,
  payload: joinNetworkPayload,
  load: async (p, _ctx, reader) => ({
    network: await readNetwork(reader, p.network_id),
    offered: await loadCameras(reader, p.cameras),
  }),
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
