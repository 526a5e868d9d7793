import { specFor } from '@camledger/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '../kernel/index.ts';
import {
  alice,
  bob,
  bobsCamera,
  bobsOtherCamera,
  carol,
  carolsCamera,
  dave,
  deletedCamera,
  ev,
  invitationClaim,
  networkId,
  networkStream,
  world,
} from '../testing/fixtures/network.ts';
import { generatedTestId, testId } from '../testing/index.ts';
import { claimSentInvitation, type NetworkEvent, networkAggregate, networkSlice } from './index.ts';

const given = specFor(networkSlice.commands);
const as = (actor: string) => ({ actor: actor as `usr_${string}` });
const newNetworkId = generatedTestId('net', 900, alice);
/** The invitation id a `network.invite` by `inviter` generates. */
const newInvitationId = (inviter: string) => generatedTestId('inv', 900, inviter);
const invitationId = testId('inv', 7);

type NetworkUpdatedChanges = Extract<NetworkEvent, { type: 'NetworkUpdated' }>['data']['changes'];
const updated = (changes: NetworkUpdatedChanges): NetworkEvent => ({
  type: 'NetworkUpdated',
  data: { networkId, changes },
});
const declinedRequest = (userId: string): NetworkEvent => ({
  type: 'NetworkJoinRequestDeclined',
  data: { networkId, userId },
});

/** A directory entry as directory.claim writes it, for entries invitationClaim does not build. */
const directoryEntry = (id: string, kind: string, owner: string, container: string) => ({
  [`directory-${id}`]: [{ type: 'IdClaimed', data: { id, kind, owner, container } }],
});

const creation = {
  name: 'Street watch',
  type: 'public',
  requires_cameras: 0,
  description: 'Cameras on our street',
};

describe('network.create', () => {
  it('creating a network makes the actor its owner and answers 10000 with the new network_id', async () => {
    await given()
      .when('network.create', creation, as(alice))
      .thenAccepts('Ok', {
        stream: `network-${newNetworkId}`,
        result: { network_id: newNetworkId },
        events: [{ ...ev.created('public', { id: newNetworkId }) }],
      });
  });

  it('a client-chosen network_id is used, and sending the same creation again writes nothing', async () => {
    await given()
      .when('network.create', { ...creation, network_id: networkId }, as(alice))
      .thenAccepts('Ok', {
        stream: networkStream,
        result: { network_id: networkId },
        events: [ev.created()],
      });
    await given(world(ev.created()))
      .when('network.create', { ...creation, network_id: networkId }, as(alice))
      .thenAccepts('Ok', { result: { network_id: networkId }, events: [] });
  });

  it("another user's network_id answers 128 naming network_id", async () => {
    await given(world(ev.created()))
      .when('network.create', { ...creation, network_id: networkId }, as(bob))
      .thenRejects('MissingParameter', { param: 'network_id' });
  });

  it('the same network_id with any one field different is another creation: 128 naming network_id', async () => {
    const changes = [
      { name: 'Back street' },
      { type: 'private' },
      { requires_cameras: 1 },
      { description: 'Other cameras' },
    ];
    for (const change of changes)
      await given(world(ev.created()))
        .when('network.create', { ...creation, network_id: networkId, ...change }, as(alice))
        .thenRejects('MissingParameter', { param: 'network_id' });
  });

  it('the id of a deleted network cannot be created again, even with the same fields: 128', async () => {
    await given(world(ev.created(), ev.deleted()))
      .when('network.create', { ...creation, network_id: networkId }, as(alice))
      .thenRejects('MissingParameter', { param: 'network_id' });
  });

  it('a type other than public, private or hidden answers 5004', async () => {
    await given()
      .when('network.create', { ...creation, type: 'secret' }, as(alice))
      .thenRejects('InvalidNetworkType', { param: 'type', type: 'secret' });
    await given()
      .when('network.create', { ...creation, type: 1 }, as(alice))
      .thenRejects('InvalidNetworkType');
  });

  it('a missing type answers 128 naming type', async () => {
    const { type: _, ...withoutType } = creation;
    await given()
      .when('network.create', withoutType, as(alice))
      .thenRejects('MissingParameter', { param: 'type' });
  });

  it('a name shorter than 3 characters answers 192', async () => {
    await given()
      .when('network.create', { ...creation, name: 'ab' }, as(alice))
      .thenRejects('StringTooShort', { param: 'name' });
  });
});

describe('network.update', () => {
  it('the owner changes the name and type: 15400 records only what changed', async () => {
    await given(world(ev.created()))
      .when('network.update', { network_id: networkId, name: 'Street watch', type: 'private' }, as(alice))
      .thenAccepts('NetworkUpdated', {
        stream: networkStream,
        events: [{ type: 'NetworkUpdated', data: { networkId, changes: { type: 'private' } } }],
      });
  });

  it('an update that changes nothing answers 15400 and writes nothing', async () => {
    await given(world(ev.created()))
      .when('network.update', { network_id: networkId, requires_cameras: 0 }, as(alice))
      .thenAccepts('NetworkUpdated', { events: [] });
  });

  it('each field sent alone is an update, and is recorded when it differs', async () => {
    const cases: readonly [Record<string, unknown>, NetworkUpdatedChanges][] = [
      [{ name: 'Back street' }, { name: 'Back street' }],
      [{ type: 'hidden' }, { type: 'hidden' }],
      [{ requires_cameras: 1 }, { requiresCameras: true }],
      [{ description: '' }, { description: '' }],
    ];
    for (const [fields, changes] of cases)
      await given(world(ev.created()))
        .when('network.update', { network_id: networkId, ...fields }, as(alice))
        .thenAccepts('NetworkUpdated', {
          events: [{ type: 'NetworkUpdated', data: { networkId, changes } }],
        });
  });

  it('each field sent alone with its current value writes nothing', async () => {
    for (const fields of [
      { name: 'Street watch' },
      { type: 'public' },
      { description: 'Cameras on our street' },
    ])
      await given(world(ev.created()))
        .when('network.update', { network_id: networkId, ...fields }, as(alice))
        .thenAccepts('NetworkUpdated', { events: [] });
  });

  it('later commands see the update: a network made private answers 5400 to a join', async () => {
    await given(world(ev.created(), updated({ type: 'private' })))
      .when('network.join', { network_id: networkId }, as(bob))
      .thenRejects('NetworkNotPublic', { network_id: networkId });
  });

  it('a network id of the wrong form is never read, even where a stream of that name exists: 5000', async () => {
    await given({ 'network-net_nope': [ev.created('public', { id: 'net_nope' })] })
      .when('network.update', { network_id: 'net_nope', name: 'New name' }, as(alice))
      .thenRejects('NetworkNotFound', { network_id: 'net_nope' });
  });

  it('updating a network that does not exist answers 5000', async () => {
    await given(world())
      .when('network.update', { network_id: networkId, name: 'New name' }, as(alice))
      .thenRejects('NetworkNotFound', { network_id: networkId });
  });

  it('updating with a malformed network id answers 5000', async () => {
    await given(world())
      .when('network.update', { network_id: 'net_nope', name: 'New name' }, as(alice))
      .thenRejects('NetworkNotFound');
  });

  it('a member who is not the owner answers 5003', async () => {
    await given(world(ev.created(), ev.joined(bob)))
      .when('network.update', { network_id: networkId, name: 'Mine now' }, as(bob))
      .thenRejects('NotNetworkOwner', { network_id: networkId });
  });

  it('a non-member of a hidden network answers 5001, not 5003', async () => {
    await given(world(ev.created('hidden')))
      .when('network.update', { network_id: networkId, name: 'Mine now' }, as(bob))
      .thenRejects('NetworkHidden', { network_id: networkId });
  });

  it('a bad type answers 5004', async () => {
    await given(world(ev.created()))
      .when('network.update', { network_id: networkId, type: 'secret' }, as(alice))
      .thenRejects('InvalidNetworkType', { param: 'type' });
  });

  it('an update with no field answers 5005', async () => {
    await given(world(ev.created()))
      .when('network.update', { network_id: networkId }, as(alice))
      .thenRejects('NoFieldsToUpdate', { network_id: networkId });
  });

  it('a non-owner sending no field answers 5003 before 5005', async () => {
    await given(world(ev.created(), ev.joined(bob)))
      .when('network.update', { network_id: networkId }, as(bob))
      .thenRejects('NotNetworkOwner');
  });
});

describe('network.delete', () => {
  it('the owner deletes the network: 15200', async () => {
    await given(world(ev.created()))
      .when('network.delete', { network_id: networkId }, as(alice))
      .thenAccepts('NetworkDeleted', { events: [ev.deleted()] });
  });

  it('a deleted network answers 5000, also to its owner', async () => {
    await given(world(ev.created(), ev.deleted()))
      .when('network.delete', { network_id: networkId }, as(alice))
      .thenRejects('NetworkNotFound');
  });

  it('a member who is not the owner answers 5003', async () => {
    await given(world(ev.created(), ev.joined(bob)))
      .when('network.delete', { network_id: networkId }, as(bob))
      .thenRejects('NotNetworkOwner');
  });
});

describe('network.join', () => {
  it('joining a public network answers 15105 and records the cameras brought', async () => {
    await given(world(ev.created()))
      .when('network.join', { network_id: networkId, cameras: [bobsCamera, bobsOtherCamera] }, as(bob))
      .thenAccepts('NetworkJoined', { events: [ev.joined(bob, [bobsCamera, bobsOtherCamera])] });
  });

  it('joining without cameras where none are required answers 15105', async () => {
    await given(world(ev.created()))
      .when('network.join', { network_id: networkId }, as(bob))
      .thenAccepts('NetworkJoined', { events: [ev.joined(bob)] });
  });

  it('a camera listed twice is brought once', async () => {
    await given(world(ev.created()))
      .when('network.join', { network_id: networkId, cameras: [bobsCamera, bobsCamera] }, as(bob))
      .thenAccepts('NetworkJoined', { events: [ev.joined(bob, [bobsCamera])] });
  });

  it('joining a deleted network answers 5000', async () => {
    await given(world(ev.created(), ev.deleted()))
      .when('network.join', { network_id: networkId }, as(bob))
      .thenRejects('NetworkNotFound');
  });

  it('joining a hidden network as a non-member answers 5001', async () => {
    await given(world(ev.created('hidden')))
      .when('network.join', { network_id: networkId }, as(bob))
      .thenRejects('NetworkHidden');
  });

  it('joining a private network answers 5400', async () => {
    await given(world(ev.created('private')))
      .when('network.join', { network_id: networkId }, as(bob))
      .thenRejects('NetworkNotPublic', { network_id: networkId });
  });

  it('joining again answers 5402', async () => {
    await given(world(ev.created(), ev.joined(bob)))
      .when('network.join', { network_id: networkId }, as(bob))
      .thenRejects('AlreadyMember', { network_id: networkId });
  });

  it('a new member joining leaves the other members in place', async () => {
    await given(world(ev.created(), ev.joined(carol), ev.joined(bob)))
      .when('network.leave', { network_id: networkId }, as(carol))
      .thenAccepts('NetworkLeft', { events: [ev.left(carol)] });
  });

  it('a network that requires cameras, joined without any, answers 5401', async () => {
    await given(world(ev.created('public', { requiresCameras: true })))
      .when('network.join', { network_id: networkId }, as(bob))
      .thenRejects('CamerasRequired', { param: 'cameras' });
  });

  it('an empty cameras list answers 5410', async () => {
    await given(world(ev.created()))
      .when('network.join', { network_id: networkId, cameras: [] }, as(bob))
      .thenRejects('EmptyCameraList', { param: 'cameras' });
  });

  it('a malformed camera id answers 5411 even after an unknown one in the list', async () => {
    await given(world(ev.created()))
      .when('network.join', { network_id: networkId, cameras: [testId('cam', 'ZZ'), 'camera-1'] }, as(bob))
      .thenRejects('InvalidCameraId', { camera_id: 'camera-1' });
  });

  it('an unknown camera answers 5412, and so does a deleted one', async () => {
    await given(world(ev.created()))
      .when('network.join', { network_id: networkId, cameras: [bobsCamera, testId('cam', 'ZZ')] }, as(bob))
      .thenRejects('UnknownCameraId', { camera_id: testId('cam', 'ZZ') });
    await given(world(ev.created()))
      .when('network.join', { network_id: networkId, cameras: [deletedCamera] }, as(bob))
      .thenRejects('UnknownCameraId', { camera_id: deletedCamera });
  });

  it("someone else's camera answers 5413", async () => {
    await given(world(ev.created()))
      .when('network.join', { network_id: networkId, cameras: [bobsCamera, carolsCamera] }, as(bob))
      .thenRejects('CameraNotUsers', { camera_id: carolsCamera });
  });

  it('more than 50 cameras answers 200 naming cameras', async () => {
    const many = Array.from({ length: 51 }, (_, i) => testId('cam', i + 1));
    await given(world(ev.created()))
      .when('network.join', { network_id: networkId, cameras: many }, as(bob))
      .thenRejects('StringTooLong', { param: 'cameras' });
  });
});

describe('network.request_join', () => {
  it('asking to join a private network answers 10000 and records the request', async () => {
    await given(world(ev.created('private')))
      .when('network.request_join', { network_id: networkId, cameras: [bobsCamera] }, as(bob))
      .thenAccepts('Ok', { events: [ev.requested(bob, [bobsCamera])] });
  });

  it('asking again with the same cameras writes nothing', async () => {
    await given(world(ev.created('private'), ev.requested(bob, [bobsCamera])))
      .when('network.request_join', { network_id: networkId, cameras: [bobsCamera] }, as(bob))
      .thenAccepts('Ok', { events: [] });
  });

  it('asking again with other cameras replaces the request', async () => {
    for (const cameras of [[bobsOtherCamera], [bobsCamera, bobsOtherCamera]])
      await given(world(ev.created('private'), ev.requested(bob, [bobsCamera])))
        .when('network.request_join', { network_id: networkId, cameras }, as(bob))
        .thenAccepts('Ok', { events: [ev.requested(bob, cameras)] });
  });

  it('a request sharing only its first camera with the new one is replaced', async () => {
    // The camera offered second was deleted since the request; bob offers another instead.
    await given(world(ev.created('private'), ev.requested(bob, [bobsCamera, deletedCamera])))
      .when(
        'network.request_join',
        { network_id: networkId, cameras: [bobsCamera, bobsOtherCamera] },
        as(bob),
      )
      .thenAccepts('Ok', { events: [ev.requested(bob, [bobsCamera, bobsOtherCamera])] });
  });

  it('asking to join a hidden network as a non-member answers 5001', async () => {
    await given(world(ev.created('hidden')))
      .when('network.request_join', { network_id: networkId }, as(bob))
      .thenRejects('NetworkHidden');
  });

  it('a member asking to join answers 5402', async () => {
    await given(world(ev.created('private'), ev.approved(bob)))
      .when('network.request_join', { network_id: networkId }, as(bob))
      .thenRejects('AlreadyMember', { network_id: networkId });
  });

  it('the cameras are checked as a join checks them (5401, 5413)', async () => {
    await given(world(ev.created('private', { requiresCameras: true })))
      .when('network.request_join', { network_id: networkId }, as(bob))
      .thenRejects('CamerasRequired');
    await given(world(ev.created('private')))
      .when('network.request_join', { network_id: networkId, cameras: [carolsCamera] }, as(bob))
      .thenRejects('CameraNotUsers');
  });

  it('asking to join a deleted network answers 5000', async () => {
    await given(world(ev.created('private'), ev.deleted()))
      .when('network.request_join', { network_id: networkId }, as(bob))
      .thenRejects('NetworkNotFound');
  });
});

describe('network.approve_request and decline_request', () => {
  const requested = world(ev.created('private'), ev.requested(bob, [bobsCamera]));

  it('approving a request answers 15300 and makes the requester a member with the offered cameras', async () => {
    await given(requested)
      .when('network.approve_request', { network_id: networkId, user_id: bob }, as(alice))
      .thenAccepts('JoinRequestApproved', { events: [ev.approved(bob, [bobsCamera])] });
  });

  it('declining a request answers 15301', async () => {
    await given(requested)
      .when('network.decline_request', { network_id: networkId, user_id: bob }, as(alice))
      .thenAccepts('JoinRequestDeclined', {
        events: [{ type: 'NetworkJoinRequestDeclined', data: { networkId, userId: bob } }],
      });
  });

  it('approving a user who has no pending request answers 5100', async () => {
    await given(requested)
      .when('network.approve_request', { network_id: networkId, user_id: carol }, as(alice))
      .thenRejects('InvitationNotFound', { user_id: carol });
    await given(requested)
      .when('network.decline_request', { network_id: networkId, user_id: carol }, as(alice))
      .thenRejects('InvitationNotFound', { network_id: networkId, user_id: carol });
  });

  it('approving a requester who has joined since answers 15300 and writes nothing', async () => {
    await given(world(ev.created('private'), ev.requested(bob), ev.approved(bob)))
      .when('network.approve_request', { network_id: networkId, user_id: bob }, as(alice))
      .thenAccepts('JoinRequestApproved', { events: [] });
  });

  it('a member who is not the owner answers 5003', async () => {
    await given(world(ev.created('private'), ev.approved(carol), ev.requested(bob)))
      .when('network.approve_request', { network_id: networkId, user_id: bob }, as(carol))
      .thenRejects('NotNetworkOwner');
    await given(world(ev.created('private'), ev.approved(carol), ev.requested(bob)))
      .when('network.decline_request', { network_id: networkId, user_id: bob }, as(carol))
      .thenRejects('NotNetworkOwner', { network_id: networkId });
  });

  it('approving on a deleted network answers 5000', async () => {
    await given(world(ev.created('private'), ev.requested(bob), ev.deleted()))
      .when('network.approve_request', { network_id: networkId, user_id: bob }, as(alice))
      .thenRejects('NetworkNotFound');
  });

  it('a declined request is gone: approving it answers 5100, and the user may ask again', async () => {
    const declined = world(ev.created('private'), ev.requested(bob, [bobsCamera]), declinedRequest(bob));
    await given(declined)
      .when('network.approve_request', { network_id: networkId, user_id: bob }, as(alice))
      .thenRejects('InvitationNotFound', { user_id: bob });
    await given(declined)
      .when('network.request_join', { network_id: networkId, cameras: [bobsCamera] }, as(bob))
      .thenAccepts('Ok', { events: [ev.requested(bob, [bobsCamera])] });
  });
});

describe('network.invite', () => {
  it('a member invites a user by username: 15102 with the invitation_id', async () => {
    await given(world(ev.created('private'), ev.approved(carol)))
      .when('network.invite', { network_id: networkId, username: 'Bob' }, as(carol))
      .thenAccepts('InvitationSent', {
        result: { invitation_id: newInvitationId(carol) },
        events: [ev.invited(newInvitationId(carol), bob)],
      });
  });

  it('inviting a user already invited answers the pending invitation and writes nothing', async () => {
    await given(world(ev.created('private'), ev.invited(invitationId, bob)))
      .when('network.invite', { network_id: networkId, username: 'bob' }, as(alice))
      .thenAccepts('InvitationSent', { result: { invitation_id: invitationId }, events: [] });
  });

  it("another user's pending invitation does not count: bob gets an invitation of his own", async () => {
    await given(world(ev.created('private'), ev.invited(invitationId, carol)))
      .when('network.invite', { network_id: networkId, username: 'bob' }, as(alice))
      .thenAccepts('InvitationSent', {
        result: { invitation_id: newInvitationId(alice) },
        events: [ev.invited(newInvitationId(alice), bob)],
      });
  });

  it('a user who accepted an invitation and left since is invited anew', async () => {
    await given(
      world(
        ev.created('private'),
        ev.invited(invitationId, bob),
        ev.accepted(invitationId, bob),
        ev.left(bob),
      ),
    )
      .when('network.invite', { network_id: networkId, username: 'bob' }, as(alice))
      .thenAccepts('InvitationSent', {
        result: { invitation_id: newInvitationId(alice) },
        events: [ev.invited(newInvitationId(alice), bob)],
      });
  });

  it('a username of characters no account can hold is never looked up: 5101', async () => {
    const strayName = {
      'username-no body!': [
        { type: 'UsernameClaimed', data: { userId: dave, username: 'no body!', displayName: 'x' } },
      ],
    };
    await given({ ...world(ev.created('private')), ...strayName })
      .when('network.invite', { network_id: networkId, username: 'No Body!' }, as(alice))
      .thenRejects('UnknownUsername', { username: 'No Body!' });
  });

  it('inviting into a deleted network answers 5000', async () => {
    await given(world(ev.created('private'), ev.deleted()))
      .when('network.invite', { network_id: networkId, username: 'bob' }, as(alice))
      .thenRejects('NetworkNotFound');
  });

  it('a non-member inviting into a hidden network answers 5001', async () => {
    await given(world(ev.created('hidden')))
      .when('network.invite', { network_id: networkId, username: 'carol' }, as(bob))
      .thenRejects('NetworkHidden');
  });

  it('a non-member inviting into a visible network answers 5002', async () => {
    await given(world(ev.created('private')))
      .when('network.invite', { network_id: networkId, username: 'carol' }, as(bob))
      .thenRejects('NotNetworkMember', { network_id: networkId });
  });

  it('an unknown username answers 5101', async () => {
    await given(world(ev.created('private')))
      .when('network.invite', { network_id: networkId, username: 'nobody' }, as(alice))
      .thenRejects('UnknownUsername', { username: 'nobody' });
    await given(world(ev.created('private')))
      .when('network.invite', { network_id: networkId, username: 'no body!' }, as(alice))
      .thenRejects('UnknownUsername');
  });

  it('inviting a member answers 5402', async () => {
    await given(world(ev.created('private'), ev.approved(bob)))
      .when('network.invite', { network_id: networkId, username: 'bob' }, as(alice))
      .thenRejects('AlreadyMember', { username: 'bob' });
  });

  it('the invitation is claimed in the directory, so accept_invitation can find its network', () => {
    const followUps = claimSentInvitation({
      stream: networkStream,
      revision: 3,
      ...ev.invited(invitationId, bob),
      metadata: { commandId: 'c', correlationId: 'c', actor: alice, occurredAt: '', schemaVersion: 1 },
    });
    expect(followUps).toEqual([
      {
        command: 'directory.claim',
        payload: { id: invitationId, kind: 'invitation', owner: bob, container: networkId },
      },
    ]);
  });
});

describe('network.accept_invitation', () => {
  const invitedWorld = (...more: NetworkEvent[]) => ({
    ...world(ev.created('hidden'), ev.invited(invitationId, bob), ...more),
    ...invitationClaim(invitationId, bob),
  });

  it('accepting an invitation answers 15100 with the network_id, even into a hidden network', async () => {
    await given(invitedWorld())
      .when('network.accept_invitation', { invitation_id: invitationId, cameras: [bobsCamera] }, as(bob))
      .thenAccepts('InvitationAccepted', {
        stream: networkStream,
        result: { network_id: networkId },
        events: [ev.accepted(invitationId, bob, [bobsCamera])],
      });
  });

  it('a directory entry naming the network by its stream name finds it too', async () => {
    await given({
      ...world(ev.created('hidden'), ev.invited(invitationId, bob)),
      ...directoryEntry(invitationId, 'invitation', bob, networkStream),
    })
      .when('network.accept_invitation', { invitation_id: invitationId }, as(bob))
      .thenAccepts('InvitationAccepted', {
        stream: networkStream,
        result: { network_id: networkId },
        events: [ev.accepted(invitationId, bob)],
      });
  });

  it("another user's invitation into a deleted network still answers 5100: the id reveals nothing", async () => {
    await given(invitedWorld(ev.deleted()))
      .when('network.accept_invitation', { invitation_id: invitationId }, as(carol))
      .thenRejects('InvitationNotFound', { invitation_id: invitationId });
  });

  it('only an invitation entry of the directory leads to a network', async () => {
    await given({
      ...world(ev.created('hidden'), ev.invited(invitationId, bob)),
      ...directoryEntry(invitationId, 'folder', bob, networkId),
    })
      .when('network.accept_invitation', { invitation_id: invitationId }, as(bob))
      .thenRejects('InvitationNotFound', { invitation_id: invitationId });
  });

  it("the network's own record decides: an invitation it does not hold, or holds for another user, answers 5100", async () => {
    const otherId = testId('inv', 99);
    await given({
      ...world(ev.created('hidden'), ev.invited(invitationId, bob)),
      ...invitationClaim(otherId, bob),
    })
      .when('network.accept_invitation', { invitation_id: otherId }, as(bob))
      .thenRejects('InvitationNotFound', { invitation_id: otherId });
    await given({
      ...world(ev.created('hidden'), ev.invited(invitationId, carol)),
      ...invitationClaim(invitationId, bob),
    })
      .when('network.accept_invitation', { invitation_id: invitationId }, as(bob))
      .thenRejects('InvitationNotFound', { invitation_id: invitationId });
  });

  it("accepting an invitation leaves the other users' pending invitations in place", async () => {
    const otherId = testId('inv', 8);
    await given({
      ...world(
        ev.created('hidden'),
        ev.invited(invitationId, bob),
        ev.invited(otherId, carol),
        ev.accepted(invitationId, bob),
      ),
      ...invitationClaim(otherId, carol),
    })
      .when('network.accept_invitation', { invitation_id: otherId }, as(carol))
      .thenAccepts('InvitationAccepted', { events: [ev.accepted(otherId, carol)] });
  });

  it('an invitation can be accepted once: the second time answers 5100', async () => {
    await given(invitedWorld(ev.accepted(invitationId, bob), ev.left(bob)))
      .when('network.accept_invitation', { invitation_id: invitationId }, as(bob))
      .thenRejects('InvitationNotFound', { invitation_id: invitationId });
  });

  it("another user's invitation answers 5100, as an unknown one does", async () => {
    await given(invitedWorld())
      .when('network.accept_invitation', { invitation_id: invitationId }, as(carol))
      .thenRejects('InvitationNotFound');
    await given(invitedWorld())
      .when('network.accept_invitation', { invitation_id: testId('inv', 99) }, as(bob))
      .thenRejects('InvitationNotFound');
    await given(invitedWorld())
      .when('network.accept_invitation', { invitation_id: 'inv_bad' }, as(bob))
      .thenRejects('InvitationNotFound');
  });

  it('an invitation of a member who was removed since answers 5100', async () => {
    await given({
      ...world(
        ev.created('private'),
        ev.invited(invitationId, bob),
        ev.requested(bob),
        ev.approved(bob),
        ev.removed(bob),
      ),
      ...invitationClaim(invitationId, bob),
    })
      .when('network.accept_invitation', { invitation_id: invitationId }, as(bob))
      .thenRejects('InvitationNotFound');
  });

  it('an invitation into a network deleted since answers 5000', async () => {
    await given(invitedWorld(ev.deleted()))
      .when('network.accept_invitation', { invitation_id: invitationId }, as(bob))
      .thenRejects('NetworkNotFound', { network_id: networkId });
  });

  it('accepting after joining another way answers 5402', async () => {
    await given({
      ...world(ev.created('public'), ev.invited(invitationId, bob), ev.joined(bob)),
      ...invitationClaim(invitationId, bob),
    })
      .when('network.accept_invitation', { invitation_id: invitationId }, as(bob))
      .thenRejects('AlreadyMember', { network_id: networkId });
  });

  it('the cameras are checked as a join checks them (5410, 5412)', async () => {
    await given(invitedWorld())
      .when('network.accept_invitation', { invitation_id: invitationId, cameras: [] }, as(bob))
      .thenRejects('EmptyCameraList');
    await given(invitedWorld())
      .when(
        'network.accept_invitation',
        { invitation_id: invitationId, cameras: [testId('cam', 'ZZ')] },
        as(bob),
      )
      .thenRejects('UnknownCameraId');
  });
});

describe('network.leave', () => {
  it('a member leaves: 15104', async () => {
    await given(world(ev.created(), ev.joined(bob)))
      .when('network.leave', { network_id: networkId }, as(bob))
      .thenAccepts('NetworkLeft', { events: [ev.left(bob)] });
  });

  it('leaving a deleted network answers 5000', async () => {
    await given(world(ev.created(), ev.joined(bob), ev.deleted()))
      .when('network.leave', { network_id: networkId }, as(bob))
      .thenRejects('NetworkNotFound');
  });

  it('leaving a hidden network one is not in answers 5001', async () => {
    await given(world(ev.created('hidden')))
      .when('network.leave', { network_id: networkId }, as(bob))
      .thenRejects('NetworkHidden');
  });

  it('leaving a visible network one is not in answers 5002', async () => {
    await given(world(ev.created(), ev.joined(bob), ev.left(bob)))
      .when('network.leave', { network_id: networkId }, as(bob))
      .thenRejects('NotNetworkMember', { network_id: networkId });
  });

  it('the owner cannot leave their own network: 128 saying to delete it instead', async () => {
    await given(world(ev.created()))
      .when('network.leave', { network_id: networkId }, as(alice))
      .thenRejects('MissingParameter', { param: 'network_id' });
  });
});

describe('network.remove_member', () => {
  it('the owner removes a member by username: 15103', async () => {
    await given(world(ev.created(), ev.joined(bob)))
      .when('network.remove_member', { network_id: networkId, username: 'bob' }, as(alice))
      .thenAccepts('MemberRemoved', { events: [ev.removed(bob)] });
  });

  it('removing from a deleted network answers 5000', async () => {
    await given(world(ev.created(), ev.joined(bob), ev.deleted()))
      .when('network.remove_member', { network_id: networkId, username: 'bob' }, as(alice))
      .thenRejects('NetworkNotFound');
  });

  it('a member who is not the owner answers 5003', async () => {
    await given(world(ev.created(), ev.joined(bob), ev.joined(carol)))
      .when('network.remove_member', { network_id: networkId, username: 'carol' }, as(bob))
      .thenRejects('NotNetworkOwner');
  });

  it('an unknown username answers 5101', async () => {
    await given(world(ev.created()))
      .when('network.remove_member', { network_id: networkId, username: 'nobody' }, as(alice))
      .thenRejects('UnknownUsername', { username: 'nobody' });
  });

  it('a user who is not a member answers 5102', async () => {
    await given(world(ev.created()))
      .when('network.remove_member', { network_id: networkId, username: 'dave' }, as(alice))
      .thenRejects('UserNotMember', { username: 'dave' });
  });

  it('the owner cannot remove themselves: 128', async () => {
    await given(world(ev.created()))
      .when('network.remove_member', { network_id: networkId, username: 'alice' }, as(alice))
      .thenRejects('MissingParameter', { param: 'username' });
  });

  it('a removed member is no longer a member (they can join a public network again)', async () => {
    await given(world(ev.created(), ev.joined(dave), ev.removed(dave)))
      .when('network.join', { network_id: networkId }, as(dave))
      .thenAccepts('NetworkJoined', { events: [ev.joined(dave)] });
  });

  it("removing a member revokes only their invitations: another user's can still be accepted", async () => {
    const carolsInvitation = testId('inv', 8);
    await given({
      ...world(
        ev.created('private'),
        ev.invited(invitationId, bob),
        ev.invited(carolsInvitation, carol),
        ev.requested(bob),
        ev.approved(bob),
        ev.removed(bob),
      ),
      ...invitationClaim(carolsInvitation, carol),
    })
      .when('network.accept_invitation', { invitation_id: carolsInvitation }, as(carol))
      .thenAccepts('InvitationAccepted', { events: [ev.accepted(carolsInvitation, carol)] });
  });
});

describe('network state rebuilt from the events', () => {
  const rebuilt = (...events: NetworkEvent[]) => fold(networkAggregate, events);

  it('the owner is the first member, bringing no cameras', () => {
    expect(rebuilt(ev.created()).members.toObject()).toEqual({ [alice]: { cameras: [] } });
  });

  it("a removal revokes the member's pending invitation; an accepted one stays accepted, other users' stay pending", () => {
    const [accepted, pending, carols] = [testId('inv', 7), testId('inv', 8), testId('inv', 9)];
    const state = rebuilt(
      ev.created(),
      ev.invited(accepted, bob),
      ev.accepted(accepted, bob, [bobsCamera]),
      ev.left(bob),
      ev.invited(pending, bob),
      ev.joined(bob),
      ev.invited(carols, carol),
      ev.removed(bob),
    );
    expect(state.invitations.toObject()).toEqual({
      [accepted]: { userId: bob, status: 'accepted' },
      [pending]: { userId: bob, status: 'revoked' },
      [carols]: { userId: carol, status: 'pending' },
    });
    expect(state.members.toObject()).toEqual({ [alice]: { cameras: [] } });
  });
});

describe('the network fold', () => {
  it('applies an update to the details only, whatever else the event names', () => {
    const state = fold(networkAggregate, [
      ev.created(),
      {
        type: 'NetworkUpdated',
        data: { networkId, changes: { name: 'Lane', ownerId: bob, deleted: true, members: {} } as never },
      },
    ]);
    expect(state).toMatchObject({ name: 'Lane', ownerId: alice, deleted: false });
    expect(state.members.toObject()).toEqual({ [alice]: { cameras: [] } });
  });

  it('leaves the state it folds onto as it was (the cache keeps it), in a batch and one by one', () => {
    const joined = (userId: string): NetworkEvent => ({
      type: 'NetworkJoined',
      data: { networkId, userId, cameras: [] },
    });
    const created: NetworkEvent = {
      type: 'NetworkCreated',
      data: {
        networkId,
        ownerId: alice,
        name: 'Garden',
        type: 'public',
        requiresCameras: false,
        description: '',
      },
    };
    const base = fold(networkAggregate, [created, joined(bob)]);
    const snapshot = JSON.stringify(base);
    fold(networkAggregate, [joined(carol), { type: 'NetworkLeft', data: { networkId, userId: bob } }], base);
    networkAggregate.evolve(base, { type: 'NetworkMemberRemoved', data: { networkId, userId: bob } });
    expect(JSON.stringify(base)).toBe(snapshot);
    expect([...fold(networkAggregate, [joined(carol)], base).members.keys()].sort()).toEqual(
      [alice, bob, carol].sort(),
    );
  });
});
