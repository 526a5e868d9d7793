import type { DomainEvent } from '../kernel/index.ts';

// Events of a network (stream `network-<networkId>`). Every event repeats the
// network id so a projection or reactor needs nothing but the event; who did
// it is in the metadata the worker adds (actor), so it is not repeated here.

export type NetworkType = 'public' | 'private' | 'hidden';
export const networkTypes: readonly NetworkType[] = ['public', 'private', 'hidden'];

/** A network was created; its owner is its first member (with no cameras). */
export type NetworkCreated = DomainEvent<
  'NetworkCreated',
  {
    readonly networkId: string;
    readonly ownerId: string;
    readonly name: string;
    readonly type: NetworkType;
    readonly requiresCameras: boolean;
    readonly description: string;
  }
>;

/** Only the fields that changed are present. */
export type NetworkUpdated = DomainEvent<
  'NetworkUpdated',
  {
    readonly networkId: string;
    readonly changes: {
      readonly name?: string;
      readonly type?: NetworkType;
      readonly requiresCameras?: boolean;
      readonly description?: string;
    };
  }
>;

/** What a NetworkUpdated may change: its details, never its owner, members or existence. */
export const networkDetailFields = [
  'name',
  'type',
  'requiresCameras',
  'description',
] as const satisfies readonly (keyof NetworkUpdated['data']['changes'])[];

/** The network is gone: every later command on it answers 5000. */
export type NetworkDeleted = DomainEvent<'NetworkDeleted', { readonly networkId: string }>;

/** A user joined a public network directly, bringing `cameras` (possibly none). */
export type NetworkJoined = DomainEvent<
  'NetworkJoined',
  { readonly networkId: string; readonly userId: string; readonly cameras: readonly string[] }
>;

/** A user asked to join; a newer request of the same user replaces the older one. */
export type NetworkJoinRequested = DomainEvent<
  'NetworkJoinRequested',
  { readonly networkId: string; readonly userId: string; readonly cameras: readonly string[] }
>;

/** The owner let a requester in; `cameras` are those of the request, so the event alone says what the member brought. */
export type NetworkJoinRequestApproved = DomainEvent<
  'NetworkJoinRequestApproved',
  { readonly networkId: string; readonly userId: string; readonly cameras: readonly string[] }
>;

export type NetworkJoinRequestDeclined = DomainEvent<
  'NetworkJoinRequestDeclined',
  { readonly networkId: string; readonly userId: string }
>;

/** A member invited `userId`; the invitation is pending until accepted (or revoked by a removal). */
export type NetworkInvitationSent = DomainEvent<
  'NetworkInvitationSent',
  { readonly networkId: string; readonly invitationId: string; readonly userId: string }
>;

export type NetworkInvitationAccepted = DomainEvent<
  'NetworkInvitationAccepted',
  {
    readonly networkId: string;
    readonly invitationId: string;
    readonly userId: string;
    readonly cameras: readonly string[];
  }
>;

export type NetworkLeft = DomainEvent<'NetworkLeft', { readonly networkId: string; readonly userId: string }>;

/** The owner removed a member; the member's pending invitations are revoked with it. */
export type NetworkMemberRemoved = DomainEvent<
  'NetworkMemberRemoved',
  { readonly networkId: string; readonly userId: string }
>;

export type NetworkEvent =
  | NetworkCreated
  | NetworkUpdated
  | NetworkDeleted
  | NetworkJoined
  | NetworkJoinRequested
  | NetworkJoinRequestApproved
  | NetworkJoinRequestDeclined
  | NetworkInvitationSent
  | NetworkInvitationAccepted
  | NetworkLeft
  | NetworkMemberRemoved;

/** Schema versions of this slice's events (all at 1 so far). */
export const networkEventVersions = {
  NetworkCreated: 1,
  NetworkUpdated: 1,
  NetworkDeleted: 1,
  NetworkJoined: 1,
  NetworkJoinRequested: 1,
  NetworkJoinRequestApproved: 1,
  NetworkJoinRequestDeclined: 1,
  NetworkInvitationSent: 1,
  NetworkInvitationAccepted: 1,
  NetworkLeft: 1,
  NetworkMemberRemoved: 1,
} as const satisfies Record<NetworkEvent['type'], number>;
