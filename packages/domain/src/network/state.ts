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

/** A state being folded: its collections are copies of its own, changed in place. */
type Draft = {
  -readonly [K in keyof NetworkState]: NetworkState[K] extends Readonly<Record<string, infer V>>
    ? Record<string, V>
    : NetworkState[K];
};

// Becoming a member by any route fulfils the user's pending request, so it
// leaves the list; pending invitations stay (accepting one later answers 5402).
function admit(draft: Draft, userId: string, cameras: readonly string[]): Draft {
  draft.members[userId] = { cameras };
  delete draft.requests[userId];
  return draft;
}

function revokeInvitationsOf(draft: Draft, userId: string): void {
  for (const [id, invitation] of Object.entries(draft.invitations))
    if (invitation.userId === userId && invitation.status === 'pending')
      draft.invitations[id] = { ...invitation, status: 'revoked' };
}

const apply = evolveByType<Draft, NetworkEvent>({
  NetworkCreated: (draft, { data }) =>
    Object.assign(draft, {
      exists: true,
      networkId: data.networkId,
      ownerId: data.ownerId,
      name: data.name,
      type: data.type,
      requiresCameras: data.requiresCameras,
      description: data.description,
      members: { [data.ownerId]: { cameras: [] } },
    }),
  NetworkUpdated: (draft, { data }) => Object.assign(draft, data.changes),
  NetworkDeleted: (draft) => Object.assign(draft, { deleted: true }),
  NetworkJoined: (draft, { data }) => admit(draft, data.userId, data.cameras),
  NetworkJoinRequested: (draft, { data }) => {
    draft.requests[data.userId] = { cameras: data.cameras };
    return draft;
  },
  NetworkJoinRequestApproved: (draft, { data }) => admit(draft, data.userId, data.cameras),
  NetworkJoinRequestDeclined: (draft, { data }) => {
    delete draft.requests[data.userId];
    return draft;
  },
  NetworkInvitationSent: (draft, { data }) => {
    draft.invitations[data.invitationId] = { userId: data.userId, status: 'pending' };
    return draft;
  },
  NetworkInvitationAccepted: (draft, { data }) => {
    admit(draft, data.userId, data.cameras);
    draft.invitations[data.invitationId] = { userId: data.userId, status: 'accepted' };
    return draft;
  },
  NetworkLeft: (draft, { data }) => {
    delete draft.members[data.userId];
    return draft;
  },
  NetworkMemberRemoved: (draft, { data }) => {
    delete draft.members[data.userId];
    revokeInvitationsOf(draft, data.userId);
    return draft;
  },
});

/**
 * Folds a batch on one copy of each collection: a network of 20,000 members
 * used to copy its member list once per join, so a cold load took minutes
 * (quadratic) and held the worker's event loop all that time.
 */
function evolveAll(state: NetworkState, events: readonly NetworkEvent[]): NetworkState {
  if (events.length === 0) return state;
  let draft: Draft = {
    ...state,
    members: { ...state.members },
    requests: { ...state.requests },
    invitations: { ...state.invitations },
  };
  for (const event of events) draft = apply(draft, event);
  return draft;
}

/** One event: the same fold, so the two can never disagree. */
export const evolveNetwork = Object.assign(
  (state: NetworkState, event: NetworkEvent): NetworkState => evolveAll(state, [event]),
  { eventTypes: apply.eventTypes },
);

/** One stream per network (id = network id). */
export const networkAggregate: Aggregate<NetworkState, NetworkEvent> = {
  category: 'network',
  initial: initialNetwork,
  evolve: evolveNetwork,
  evolveAll,
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
