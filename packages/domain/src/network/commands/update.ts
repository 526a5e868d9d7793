import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { NetworkUpdated } from '../events.ts';
import { isNetworkType, ownerGate, readNetwork, typeParam } from '../rules.ts';

export const updateNetworkPayload = z.object({
  network_id: param.ref(),
  name: param.name(3, 64).optional(),
  type: typeParam().optional(),
  requires_cameras: param.flag().optional(),
  description: param.text(0, 1024).optional(),
});

/**
 * network.update (owner only): changes any of name, type, requires_cameras,
 * description. Only the fields that differ are recorded; when none differ
 * nothing is written and the answer is still 15400.
 */
export const updateNetwork = defineCommand({
  name: 'network.update',
  internal: false,
  payload: updateNetworkPayload,
  load: async (p, _ctx, reader) => ({ network: await readNetwork(reader, p.network_id) }),
  decide(p, { network }, ctx) {
    const refusal = ownerGate(network.state, String(ctx.actor), p.network_id);
    if (refusal) return refusal;
    if (p.type !== undefined && !isNetworkType(p.type))
      return reject('InvalidNetworkType', { param: 'type', type: p.type });
    if (
      p.name === undefined &&
      p.type === undefined &&
      p.requires_cameras === undefined &&
      p.description === undefined
    )
      return reject('NoFieldsToUpdate', { network_id: p.network_id });

    const current = network.state;
    const changes: {
      -readonly [K in keyof NetworkUpdated['data']['changes']]: NetworkUpdated['data']['changes'][K];
    } = {};
    if (p.name !== undefined && p.name !== current.name) changes.name = p.name;
    if (p.type !== undefined && isNetworkType(p.type) && p.type !== current.type) changes.type = p.type;
    if (p.requires_cameras !== undefined && p.requires_cameras !== current.requiresCameras)
      changes.requiresCameras = p.requires_cameras;
    if (p.description !== undefined && p.description !== current.description)
      changes.description = p.description;
    if (Object.keys(changes).length === 0) return acceptUnchanged('NetworkUpdated');
    const updated: NetworkUpdated = { type: 'NetworkUpdated', data: { networkId: p.network_id, changes } };
    return accept('NetworkUpdated', network, [updated]);
  },
});
