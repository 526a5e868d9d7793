import { z } from 'zod';
import { accept, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { NetworkMemberRemoved } from '../events.ts';
import { ownerGate, readNetwork, resolveUsername } from '../rules.ts';
import { isMember } from '../state.ts';
import { usernameParam } from './invite.ts';

export const removeMemberPayload = z.object({ network_id: param.ref(), username: usernameParam() });

/**
 * network.remove_member (owner only): the member loses the network, its
 * forum and their pending invitations to it. The owner cannot remove
 * themselves, for the reason they cannot leave.
 */
export const removeMember = defineCommand({
  name: 'network.remove_member',
  internal: false,
  payload: removeMemberPayload,
  load: async (p, _ctx, reader) => ({
    network: await readNetwork(reader, p.network_id),
    member: await resolveUsername(reader, p.username),
  }),
  decide(p, { network, member }, ctx) {
    const actor = String(ctx.actor);
    const state = network.state;
    const refusal = ownerGate(state, actor, p.network_id);
    if (refusal) return refusal;
    if (member === null) return reject('UnknownUsername', { username: p.username });
    if (!isMember(state, member)) return reject('UserNotMember', { username: p.username });
    if (member === state.ownerId)
      return reject('MissingParameter', {
        param: 'username',
        reason: 'the owner cannot be removed from their own network; delete it instead',
      });
    const removed: NetworkMemberRemoved = {
      type: 'NetworkMemberRemoved',
      data: { networkId: p.network_id, userId: member },
    };
    return accept('MemberRemoved', network, [removed]);
  },
});
