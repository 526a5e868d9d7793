import type { FollowUp, StoredEvent } from '../kernel/index.ts';
import { defineSlice } from '../kernel/index.ts';
import { acceptInvitation } from './commands/accept-invitation.ts';
import { approveRequest } from './commands/approve-request.ts';
import { createNetwork } from './commands/create.ts';
import { declineRequest } from './commands/decline-request.ts';
import { deleteNetwork } from './commands/delete.ts';
import { invite } from './commands/invite.ts';
import { joinNetwork } from './commands/join.ts';
import { leaveNetwork } from './commands/leave.ts';
import { removeMember } from './commands/remove-member.ts';
import { requestJoin } from './commands/request-join.ts';
import { updateNetwork } from './commands/update.ts';
import { type NetworkInvitationSent, networkEventVersions } from './events.ts';
import { networkAggregate } from './state.ts';

export type * from './events.ts';
export { networkDetailFields, networkEventVersions, networkTypes } from './events.ts';
export { gate, readNetwork, resolveUsername } from './rules.ts';
export * from './state.ts';
export {
  acceptInvitation,
  approveRequest,
  createNetwork,
  declineRequest,
  deleteNetwork,
  invite,
  joinNetwork,
  leaveNetwork,
  removeMember,
  requestJoin,
  updateNetwork,
};

/**
 * accept_invitation carries only the invitation id: the directory records
 * whose invitation it is and which network holds it. A repeated claim is
 * accepted unchanged by directory.claim, so a retried follow-up is harmless.
 */
export function claimSentInvitation(event: StoredEvent): readonly FollowUp[] {
  const { invitationId, userId, networkId } = event.data as NetworkInvitationSent['data'];
  return [
    {
      command: 'directory.claim',
      payload: { id: invitationId, kind: 'invitation', owner: userId, container: networkId },
    },
  ];
}

export const networkSlice = defineSlice({
  aggregates: [networkAggregate],
  commands: [
    createNetwork,
    updateNetwork,
    deleteNetwork,
    joinNetwork,
    requestJoin,
    approveRequest,
    declineRequest,
    invite,
    acceptInvitation,
    leaveNetwork,
    removeMember,
  ],
  reactors: { NetworkInvitationSent: claimSentInvitation },
  eventVersions: networkEventVersions,
});
