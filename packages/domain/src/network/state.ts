import { Map as PersistentMap } from 'immutable';
import { type Aggregate, evolveByType } from '../kernel/index.ts';
import { type NetworkEvent, type NetworkType, networkDetailFields } from './events.ts';

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
 *
 * The three collections are persistent maps (immutable.js), as a folder
 * tree's are: an event shares everything it does not change with the state
 * before it, so a command on a network of 20,000 members costs what one on
 * a network of 20 does. (Plain records were copied whole by every event: 6 ms
 * a command on such a network, holding the worker's event loop.)
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
  readonly members: PersistentMap<string, Member>;
  /** Pending join requests, keyed by user id; a request leaves when approved, declined or its user joins. */
  readonly requests: PersistentMap<string, JoinRequest>;
  /** Every invitation ever sent, keyed by invitation id. */
  readonly invitations: PersistentMap<string, Invitation>;
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
  members: PersistentMap(),
  requests: PersistentMap(),
  invitations: PersistentMap(),
};

/**
 * A state being folded: its collections are mutable copies for the batch
 * (immutable.js's `asMutable`, which copies only what a change touches),
 * frozen again at its end.
 */
type Draft = { -readonly [K in keyof NetworkState]: NetworkState[K] };

// Becoming a member by any route fulfils the user's pending request, so it
// leaves the list; pending invitations stay (accepting one later answers 5402).
function admit(draft: Draft, userId: string, cameras: readonly string[]): Draft {
  draft.members = draft.members.set(userId, { cameras });
  draft.requests = draft.requests.delete(userId);
  return draft;
}

function revokeInvitationsOf(draft: Draft, userId: string): void {
  for (const [id, invitation] of draft.invitations)
    if (invitation.userId === userId && invitation.status === 'pending')
      draft.invitations = draft.invitations.set(id, { ...invitation, status: 'revoked' });
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
      members: draft.members.clear().set(data.ownerId, { cameras: [] }),
    }),
  // Details only, whatever else an event might name: an update never hands
  // the network over or brings it back (audit verify names such an event).
  NetworkUpdated: (draft, { data }) => {
    const changes: Partial<Record<string, unknown>> = data.changes;
    for (const field of networkDetailFields)
      if (changes[field] !== undefined) Object.assign(draft, { [field]: changes[field] });
    return draft;
  },
  NetworkDeleted: (draft) => Object.assign(draft, { deleted: true }),
  NetworkJoined: (draft, { data }) => admit(draft, data.userId, data.cameras),
  NetworkJoinRequested: (draft, { data }) => {
    draft.requests = draft.requests.set(data.userId, { cameras: data.cameras });
    return draft;
  },
  NetworkJoinRequestApproved: (draft, { data }) => admit(draft, data.userId, data.cameras),
  NetworkJoinRequestDeclined: (draft, { data }) => {
    draft.requests = draft.requests.delete(data.userId);
    return draft;
  },
  NetworkInvitationSent: (draft, { data }) => {
    draft.invitations = draft.invitations.set(data.invitationId, { userId: data.userId, status: 'pending' });
    return draft;
  },
  NetworkInvitationAccepted: (draft, { data }) => {
    admit(draft, data.userId, data.cameras);
    draft.invitations = draft.invitations.set(data.invitationId, { userId: data.userId, status: 'accepted' });
    return draft;
  },
  NetworkLeft: (draft, { data }) => {
    draft.members = draft.members.delete(data.userId);
    return draft;
  },
  NetworkMemberRemoved: (draft, { data }) => {
    draft.members = draft.members.delete(data.userId);
    revokeInvitationsOf(draft, data.userId);
    return draft;
  },
});

/**
 * Folds a batch on one mutable copy of each collection: a cold load of a
 * network of 20,000 members builds its member map once, not once per join.
 */
function evolveAll(state: NetworkState, events: readonly NetworkEvent[]): NetworkState {
  if (events.length === 0) return state;
  let draft: Draft = {
    ...state,
    members: state.members.asMutable(),
    requests: state.requests.asMutable(),
    invitations: state.invitations.asMutable(),
  };
  for (const event of events) draft = apply(draft, event);
  return {
    ...draft,
    members: draft.members.asImmutable(),
    requests: draft.requests.asImmutable(),
    invitations: draft.invitations.asImmutable(),
  };
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
  liveNetwork(state) && state.members.has(userId);

/** The pending invitation of `userId`, if any (there is at most one: inviting again answers it). */
export function pendingInvitationOf(state: NetworkState, userId: string): string | null {
  for (const [id, invitation] of state.invitations)
    if (invitation.userId === userId && invitation.status === 'pending') return id;
  return null;
}
