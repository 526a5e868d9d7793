import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { NetworkInvitationSent } from '../events.ts';
import { gate, readNetwork, resolveUsername } from '../rules.ts';
import { isMember, pendingInvitationOf } from '../state.ts';

/** Any text up to a generous length: a name nobody holds is 5101, not a format error. */
export const usernameParam = () => param.name(1, 128);

export const invitePayload = z.object({ network_id: param.ref(), username: usernameParam() });

/**
 * network.invite: any member may invite a user by username. A user has at
 * most one pending invitation per network: inviting them again answers that
 * invitation's id and writes nothing.
 */
export const invite = defineCommand({
  name: 'network.invite',
  internal: false,
  payload: invitePayload,
  load: async (p, _ctx, reader) => ({
    network: await readNetwork(reader, p.network_id),
    invitee: await resolveUsername(reader, p.username),
  }),
  decide(p, { network, invitee }, ctx) {
    const actor = String(ctx.actor);
    const state = network.state;
    const refusal = gate(state, actor, p.network_id);
    if (refusal) return refusal;
    if (!isMember(state, actor)) return reject('NotNetworkMember', { network_id: p.network_id });
    if (invitee === null) return reject('UnknownUsername', { username: p.username });
    if (isMember(state, invitee)) return reject('AlreadyMember', { username: p.username });
    const pending = pendingInvitationOf(state, invitee);
    if (pending !== null) return acceptUnchanged('InvitationSent', { invitation_id: pending });
    const invitationId = ctx.newId('inv');
    const sent: NetworkInvitationSent = {
      type: 'NetworkInvitationSent',
      data: { networkId: p.network_id, invitationId, userId: invitee },
    };
    return accept('InvitationSent', network, [sent], { invitation_id: invitationId });
  },
});
