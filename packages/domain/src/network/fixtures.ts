import type { DomainEvent } from '../kernel/index.ts';
import { testId } from '../testing/index.ts';
import type { NetworkEvent, NetworkType } from './events.ts';

// Histories the social specifications start from (network, forum and
// message specs share them): four registered users, some cameras, and
// builders for a network's events.

export const alice = testId('usr', 'A1');
export const bob = testId('usr', 'B1');
export const carol = testId('usr', 'C1');
export const dave = testId('usr', 'D1');
export const users = { alice, bob, carol, dave } as const;

export const networkId = testId('net', 1);
export const networkStream = `network-${networkId}`;

/** username-<name> streams, so every user's name resolves to their id. */
export const usernames: Readonly<Record<string, readonly DomainEvent[]>> = Object.fromEntries(
  Object.entries(users).map(([username, userId]) => [
    `username-${username}`,
    [{ type: 'UsernameClaimed', data: { userId, username, displayName: username } }],
  ]),
);

export const bobsCamera = testId('cam', 'B1');
export const bobsOtherCamera = testId('cam', 'B2');
export const carolsCamera = testId('cam', 'C1');
export const deletedCamera = testId('cam', 'DE1');

const registered = (cameraId: string, ownerId: string): DomainEvent => ({
  type: 'CameraRegistered',
  data: { cameraId, ownerId, label: '', liveViewCapable: false },
});

export const cameras: Readonly<Record<string, readonly DomainEvent[]>> = {
  [`camera-${bobsCamera}`]: [registered(bobsCamera, bob)],
  [`camera-${bobsOtherCamera}`]: [registered(bobsOtherCamera, bob)],
  [`camera-${carolsCamera}`]: [registered(carolsCamera, carol)],
  [`camera-${deletedCamera}`]: [
    registered(deletedCamera, bob),
    { type: 'CameraDeleted', data: { cameraId: deletedCamera } },
  ],
};

export const ev = {
  created: (
    type: NetworkType = 'public',
    options: { requiresCameras?: boolean; owner?: string; id?: string } = {},
  ): NetworkEvent => ({
    type: 'NetworkCreated',
    data: {
      networkId: options.id ?? networkId,
      ownerId: options.owner ?? alice,
      name: 'Street watch',
      type,
      requiresCameras: options.requiresCameras ?? false,
      description: 'Cameras on our street',
    },
  }),
  deleted: (): NetworkEvent => ({ type: 'NetworkDeleted', data: { networkId } }),
  joined: (userId: string, cameras: readonly string[] = []): NetworkEvent => ({
    type: 'NetworkJoined',
    data: { networkId, userId, cameras },
  }),
  requested: (userId: string, cameras: readonly string[] = []): NetworkEvent => ({
    type: 'NetworkJoinRequested',
    data: { networkId, userId, cameras },
  }),
  approved: (userId: string, cameras: readonly string[] = []): NetworkEvent => ({
    type: 'NetworkJoinRequestApproved',
    data: { networkId, userId, cameras },
  }),
  invited: (invitationId: string, userId: string): NetworkEvent => ({
    type: 'NetworkInvitationSent',
    data: { networkId, invitationId, userId },
  }),
  accepted: (invitationId: string, userId: string, cameras: readonly string[] = []): NetworkEvent => ({
    type: 'NetworkInvitationAccepted',
    data: { networkId, invitationId, userId, cameras },
  }),
  left: (userId: string): NetworkEvent => ({ type: 'NetworkLeft', data: { networkId, userId } }),
  removed: (userId: string): NetworkEvent => ({ type: 'NetworkMemberRemoved', data: { networkId, userId } }),
};

/** The directory entry the invitation follow-up writes. */
export const invitationClaim = (invitationId: string, userId: string, network = networkId) => ({
  [`directory-${invitationId}`]: [
    {
      type: 'IdClaimed',
      data: { id: invitationId, kind: 'invitation', owner: userId, container: network },
    },
  ],
});

/** Users, cameras and a network with the given history. */
export const world = (...network: readonly NetworkEvent[]) => ({
  ...usernames,
  ...cameras,
  [networkStream]: network,
});
