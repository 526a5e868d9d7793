import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { NetworkCreated } from '../events.ts';
import { isNetworkType, readNetwork, typeParam } from '../rules.ts';

export const createNetworkPayload = z.object({
  network_id: param.newId('net').optional(),
  name: param.name(3, 64),
  type: typeParam(),
  requires_cameras: param.flag(),
  description: param.text(0, 1024),
});

/** network.create: the actor becomes the owner and first member. */
export const createNetwork = defineCommand({
  name: 'network.create',
  internal: false,
  payload: createNetworkPayload,
  async load(p, ctx, reader) {
    // The id is settled here, once: decide must write to the stream it was read from.
    const networkId = p.network_id ?? ctx.newId('net');
    return { networkId, network: await readNetwork(reader, networkId) };
  },
  decide(p, { networkId, network }, ctx) {
    if (!isNetworkType(p.type)) return reject('InvalidNetworkType', { param: 'type', type: p.type });
    const actor = String(ctx.actor);
    const data: NetworkCreated['data'] = {
      networkId,
      ownerId: actor,
      name: p.name,
      type: p.type,
      requiresCameras: p.requires_cameras,
      description: p.description,
    };
    const existing = network.state;
    if (existing.exists) {
      // A client-chosen id makes creation idempotent: the same creation again already happened.
      const same =
        !existing.deleted &&
        existing.ownerId === actor &&
        existing.name === data.name &&
        existing.type === data.type &&
        existing.requiresCameras === data.requiresCameras &&
        existing.description === data.description;
      return same
        ? acceptUnchanged('Ok', { network_id: networkId })
        : reject('MissingParameter', { param: 'network_id', reason: 'already used' });
    }
    return accept('Ok', network, [{ type: 'NetworkCreated', data }], { network_id: networkId });
  },
});
