import { z } from 'zod';
import { directoryAggregate } from '../../directory/index.ts';
import { accept, defineCommand, isId, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { NetworkInvitationAccepted } from '../events.ts';
import { camerasParam, checkCameras, isRejected, loadCameras, readNetwork } from '../rules.ts';
import { isMember, liveNetwork } from '../state.ts';

export const acceptInvitationPayload = z.object({ invitation_id: param.ref(), cameras: camerasParam() });

// The directory entry names the network as its id; a stream name
// (`network-<id>`) is read the same, so either convention finds it.
const networkIdOf = (container: string): string =>
  container.startsWith('network-') ? container.slice('network-'.length) : container;

/**
 * network.accept_invitation: the payload names only the invitation, so the
 * directory (filled by a follow-up of NetworkInvitationSent) says which
 * network it lives in. An invitation is accepted once; another user's
 * invitation is as unknown as a missing one (5100), so ids reveal nothing.
 */
export const acceptInvitation = defineCommand({
  name: 'network.accept_invitation',
  internal: false,
  payload: acceptInvitationPayload,
  async load(p, ctx, reader) {
    const actor = String(ctx.actor);
    const claim = isId('inv', p.invitation_id)
      ? (await reader.read(directoryAggregate, p.invitation_id)).state
      : null;
    const networkId =
      claim?.kind === 'invitation' && claim.owner === actor && claim.container !== null
        ? networkIdOf(claim.container)
        : null;
    return {
      networkId,
      network: networkId === null ? null : await readNetwork(reader, networkId),
      offered: await loadCameras(reader, p.cameras),
    };
  },
  decide(p, { networkId, network, offered }, ctx) {
    const actor = String(ctx.actor);
    const notFound = reject('InvitationNotFound', { invitation_id: p.invitation_id });
    if (networkId === null || network === null) return notFound;
    const state = network.state;
    // A deleted network rejects everything with 5000, also its invitations.
    if (!liveNetwork(state)) return reject('NetworkNotFound', { network_id: networkId });
    const invitation = state.invitations.get(p.invitation_id);
    if (!invitation || invitation.userId !== actor || invitation.status !== 'pending') return notFound;
    if (isMember(state, actor)) return reject('AlreadyMember', { network_id: networkId });
    const cameras = checkCameras(p.cameras, offered, actor, state.requiresCameras);
    if (isRejected(cameras)) return cameras;
    const accepted: NetworkInvitationAccepted = {
      type: 'NetworkInvitationAccepted',
      data: { networkId, invitationId: p.invitation_id, userId: actor, cameras },
    };
    return accept('InvitationAccepted', network, [accepted], { network_id: networkId });
  },
});
