import { type Aggregate, evolveByType } from '../kernel/index.ts';
import type { NetworkEvent, NetworkType } from './events.ts';

export interface Member {
  readonly cameras: readonly string[];
}

export interface JoinRequest {
  readonly cameras: readonly string[];
}

export type InvitationStatus = 'pending' | 'accepted' | 'revoked';

export interface Invitation {
  readonly userId: string;
  readonly status: InvitationStatus;
}

/**
 * Everything whose rules must hold together lives in one stream: who is a
 * member, who asked to join, who was invited. "Accept an invitation once",
 * "approve only a pending request" and "never two memberships" are then
 * checked against one revision, and the store's expected revision settles any
 * race between two of these commands.
 */
export interface NetworkState {
  readonly exists: boolean;
  readonly deleted: boolean;
  readonly networkId: string | null;
  readonly ownerId: string | null;
  readonly name: string;
  readonly type: NetworkType;
  readonly requiresCameras: boolean;
  readonly description: string;
  /** Keyed by user id. */
  readonly members: Readonly<Record<string, Member>>;
  /** Pending join requests, keyed by user id; a request leaves when approved, declined or its user joins. */
  readonly requests: Readonly<Record<string, JoinRequest>>;
  /** Every invitation ever sent, keyed by invitation id. */
  readonly invitations: Readonly<Record<string, Invitation>>;
}

export const initialNetwork: NetworkState = {
  exists: false,
  deleted: false,
  networkId: null,
  ownerId: null,
  name: '',
  type: 'public',
  requiresCameras: false,
  description: '',
  members: {},
  requests: {},
  invitations: {},
};

function without<V>(record: Readonly<Record<string, V>>, key: string): Readonly<Record<string, V>> {
  if (!Object.hasOwn(record, key)) return record;
  const { [key]: _, ...rest } = record;
  return rest;
}

// Becoming a member by any route fulfils the user's pending request, so it
// leaves the list; pending invitations stay (accepting one later answers 5402).
function admit(state: NetworkState, userId: string, cameras: readonly string[]): NetworkState {
  return {
    ...state,
    members: { ...state.members, [userId]: { cameras } },
    requests: without(state.requests, userId),
  };
}

function revokeInvitationsOf(state: NetworkState, userId: string): NetworkState['invitations'] {
  const invitations: Record<string, Invitation> = {};
  for (const [id, invitation] of Object.entries(state.invitations))
    invitations[id] =
      invitation.userId === userId && invitation.status === 'pending'
        ? { ...invitation, status: 'revoked' }
        : invitation;
  return invitations;
}

export const evolveNetwork = evolveByType<NetworkState, NetworkEvent>({
  NetworkCreated: (state, { data }) => ({
    ...state,
    exists: true,
    networkId: data.networkId,
    ownerId: data.ownerId,
    name: data.name,
    type: data.type,
    requiresCameras: data.requiresCameras,
    description: data.description,
    members: { [data.ownerId]: { cameras: [] } },
  }),
  NetworkUpdated: (state, { data }) => ({ ...state, ...data.changes }),
  NetworkDeleted: (state) => ({ ...state, deleted: true }),
  NetworkJoined: (state, { data }) => admit(state, data.userId, data.cameras),
  NetworkJoinRequested: (state, { data }) => ({
    ...state,
    requests: { ...state.requests, [data.userId]: { cameras: data.cameras } },
  }),
  NetworkJoinRequestApproved: (state, { data }) => admit(state, data.userId, data.cameras),
  NetworkJoinRequestDeclined: (state, { data }) => ({
    ...state,
    requests: without(state.requests, data.userId),
  }),
  NetworkInvitationSent: (state, { data }) => ({
    ...state,
    invitations: {
      ...state.invitations,
      [data.invitationId]: { userId: data.userId, status: 'pending' as const },
    },
  }),
  NetworkInvitationAccepted: (state, { data }) => {
    const admitted = admit(state, data.userId, data.cameras);
    return {
      ...admitted,
      invitations: {
        ...admitted.invitations,
        [data.invitationId]: { userId: data.userId, status: 'accepted' as const },
      },
    };
  },
  NetworkLeft: (state, { data }) => ({ ...state, members: without(state.members, data.userId) }),
  NetworkMemberRemoved: (state, { data }) => ({
    ...state,
    members: without(state.members, data.userId),
    invitations: revokeInvitationsOf(state, data.userId),
  }),
});

/** One stream per network (id = network id). */
export const networkAggregate: Aggregate<NetworkState, NetworkEvent> = {
  category: 'network',
  initial: initialNetwork,
  evolve: evolveNetwork,
};

/** The network can be found: created and not deleted. Everything else answers 5000. */
export const liveNetwork = (state: NetworkState): boolean => state.exists && !state.deleted;

export const isMember = (state: NetworkState, userId: string): boolean =>
  liveNetwork(state) && Object.hasOwn(state.members, userId);

/** The pending invitation of `userId`, if any (there is at most one: inviting again answers it). */
export function pendingInvitationOf(state: NetworkState, userId: string): string | null {
  for (const [id, invitation] of Object.entries(state.invitations))
    if (invitation.userId === userId && invitation.status === 'pending') return id;
  return null;
}
