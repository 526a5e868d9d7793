import type { CamledgerClient } from '@camledger/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accepted,
  createNetwork as createNetworkOf,
  type NamedUser,
  type NetworkType,
  registerCamera,
  registerNamedUser,
} from '../support/fixtures.ts';
import { startTestWorker, type TestWorker } from '../support/test-worker.ts';

// Requests and invitations, as a client sees them over NATS. This file runs
// on JetStream: accepting an invitation reads the directory entry a reactor
// wrote after the invitation, so it shows the follow-up lands in the real
// store before the worker replies, not only in the memory one.

let w: TestWorker;
let client: CamledgerClient;
beforeAll(async () => {
  w = await startTestWorker({ store: 'jetstream' });
  client = w.client;
});
afterAll(() => w.stop());

/** A user whose username the test needs (invite and remove_member take usernames). */
const user = (stem: string) => registerNamedUser(client, stem);
const createNetwork = (owner: NamedUser, type: NetworkType, requiresCameras = false) =>
  createNetworkOf(client, owner.id, type, { requiresCameras });

/** The owner invites someone; the id of the pending invitation. */
async function invite(network_id: string, owner: NamedUser, invitee: NamedUser): Promise<string> {
  const result = accepted(
    await client.network.invite({ network_id, username: invitee.name }, { actor: owner.id }),
  );
  return result.invitation_id as string;
}

describe('requests to join', () => {
  it('approves a request (15300); approving again answers 15300 since the requester is a member', async () => {
    const owner = await user('owner');
    const bob = await user('bob');
    const network_id = await createNetwork(owner, 'private');
    accepted(await client.network.request_join({ network_id }, { actor: bob.id }));
    const approve = () =>
      client.network.approve_request({ network_id, user_id: bob.id }, { actor: owner.id });
    expect(await approve()).toMatchObject({ ok: true, code: 15300 });
    expect(await approve()).toMatchObject({ ok: true, code: 15300 });
    // Bob is a member now: he may leave, which only a member can.
    expect(await client.network.leave({ network_id }, { actor: bob.id })).toMatchObject({ code: 15104 });
  });

  it('declines a request (15301); declining again, or approving it then, answers 5100', async () => {
    const owner = await user('owner');
    const carol = await user('carol');
    const network_id = await createNetwork(owner, 'private');
    accepted(await client.network.request_join({ network_id }, { actor: carol.id }));
    const as = { actor: owner.id };
    expect(await client.network.decline_request({ network_id, user_id: carol.id }, as)).toMatchObject({
      ok: true,
      code: 15301,
    });
    expect(await client.network.decline_request({ network_id, user_id: carol.id }, as)).toMatchObject({
      code: 5100,
      error: 'InvitationNotFound',
    });
    expect(await client.network.approve_request({ network_id, user_id: carol.id }, as)).toMatchObject({
      code: 5100,
    });
    expect(await client.network.leave({ network_id }, { actor: carol.id })).toMatchObject({ code: 5002 });
  });

  it('answers 5003 to a member who answers a request, and 5001 to a non-member of a hidden network', async () => {
    const owner = await user('owner');
    const member = await user('member');
    const asker = await user('asker');
    const network_id = await createNetwork(owner, 'private');
    accepted(await client.network.request_join({ network_id }, { actor: member.id }));
    accepted(await client.network.approve_request({ network_id, user_id: member.id }, { actor: owner.id }));
    accepted(await client.network.request_join({ network_id }, { actor: asker.id }));
    expect(
      await client.network.approve_request({ network_id, user_id: asker.id }, { actor: member.id }),
    ).toMatchObject({ code: 5003 });

    const hidden = await createNetwork(owner, 'hidden');
    expect(await client.network.request_join({ network_id: hidden }, { actor: asker.id })).toMatchObject({
      code: 5001,
    });
  });
});

describe('invitations', () => {
  it('invites (15102 with an invitation id); inviting the same user again gives the same invitation', async () => {
    const owner = await user('owner');
    const dave = await user('dave');
    const network_id = await createNetwork(owner, 'private');
    const first = await client.network.invite({ network_id, username: dave.name }, { actor: owner.id });
    expect(first).toMatchObject({ ok: true, code: 15102, result: { invitation_id: expect.any(String) } });
    const again = await client.network.invite(
      { network_id, username: dave.name.toUpperCase() },
      { actor: owner.id },
    );
    expect(again).toMatchObject({
      ok: true,
      code: 15102,
      result: { invitation_id: first.ok ? first.result.invitation_id : '' },
    });
  });

  it('answers 5101 to an unknown username, 5402 to a member, 5002 to an inviter who is not a member', async () => {
    const owner = await user('owner');
    const outsider = await user('outsider');
    const network_id = await createNetwork(owner, 'public');
    const as = { actor: owner.id };
    expect(await client.network.invite({ network_id, username: 'nobodyhere' }, as)).toMatchObject({
      code: 5101,
      error: 'UnknownUsername',
    });
    expect(await client.network.invite({ network_id, username: owner.name }, as)).toMatchObject({
      code: 5402,
    });
    expect(
      await client.network.invite({ network_id, username: owner.name }, { actor: outsider.id }),
    ).toMatchObject({ code: 5002 });
  });

  it('accepts an invitation once: 15100 with the network id, then 5100', async () => {
    const owner = await user('owner');
    const erin = await user('erin');
    const network_id = await createNetwork(owner, 'hidden');
    const invitation_id = await invite(network_id, owner, erin);
    const accept = () => client.network.accept_invitation({ invitation_id }, { actor: erin.id });
    // The invitation is the permission: a hidden network lets its invitee in.
    expect(await accept()).toMatchObject({ ok: true, code: 15100, result: { network_id } });
    expect(await accept()).toMatchObject({ code: 5100, error: 'InvitationNotFound' });
    accepted(await client.network.leave({ network_id }, { actor: erin.id }));
    expect(await accept()).toMatchObject({ code: 5100 });
  });

  it("answers 5100 to an unknown invitation and to someone else's", async () => {
    const owner = await user('owner');
    const frank = await user('frank');
    const thief = await user('thief');
    const network_id = await createNetwork(owner, 'private');
    const invitation_id = await invite(network_id, owner, frank);
    expect(await client.network.accept_invitation({ invitation_id }, { actor: thief.id })).toMatchObject({
      code: 5100,
    });
    expect(
      await client.network.accept_invitation(
        { invitation_id: 'inv_01JD3XQ4S5M7N8P9R0T1V2W3X4' },
        { actor: frank.id },
      ),
    ).toMatchObject({ code: 5100 });
  });

  it('checks the cameras brought with an invitation, as a join does', async () => {
    const owner = await user('owner');
    const gina = await user('gina');
    const network_id = await createNetwork(owner, 'private', true);
    const invitation_id = await invite(network_id, owner, gina);
    const as = { actor: gina.id };
    expect(await client.network.accept_invitation({ invitation_id }, as)).toMatchObject({ code: 5401 });
    expect(await client.network.accept_invitation({ invitation_id, cameras: [] }, as)).toMatchObject({
      code: 5410,
    });
    const camera = await registerCamera(client, gina.id);
    expect(await client.network.accept_invitation({ invitation_id, cameras: [camera] }, as)).toMatchObject({
      code: 15100,
    });
  });

  it('answers 5402 to an invitation accepted by someone who joined another way', async () => {
    const owner = await user('owner');
    const hank = await user('hank');
    const network_id = await createNetwork(owner, 'public');
    const invitation_id = await invite(network_id, owner, hank);
    accepted(await client.network.join({ network_id }, { actor: hank.id }));
    expect(await client.network.accept_invitation({ invitation_id }, { actor: hank.id })).toMatchObject({
      code: 5402,
    });
  });
});

describe('leaving and removing members', () => {
  it('lets a member leave (15104), after which leaving again answers 5002', async () => {
    const owner = await user('owner');
    const ivy = await user('ivy');
    const network_id = await createNetwork(owner, 'public');
    accepted(await client.network.join({ network_id }, { actor: ivy.id }));
    expect(await client.network.leave({ network_id }, { actor: ivy.id })).toMatchObject({
      ok: true,
      code: 15104,
    });
    expect(await client.network.leave({ network_id }, { actor: ivy.id })).toMatchObject({ code: 5002 });
  });

  it('removes a member (15103); then 5102 for them, 5101 for an unknown name, 5003 for a non-owner', async () => {
    const owner = await user('owner');
    const jack = await user('jack');
    const kate = await user('kate');
    const network_id = await createNetwork(owner, 'public');
    accepted(await client.network.join({ network_id }, { actor: jack.id }));
    accepted(await client.network.join({ network_id }, { actor: kate.id }));
    const as = { actor: owner.id };
    expect(await client.network.remove_member({ network_id, username: jack.name }, as)).toMatchObject({
      ok: true,
      code: 15103,
    });
    expect(await client.network.remove_member({ network_id, username: jack.name }, as)).toMatchObject({
      code: 5102,
      error: 'UserNotMember',
    });
    expect(await client.network.remove_member({ network_id, username: 'nobodyhere' }, as)).toMatchObject({
      code: 5101,
    });
    expect(
      await client.network.remove_member({ network_id, username: owner.name }, { actor: kate.id }),
    ).toMatchObject({ code: 5003 });
    expect(await client.network.remove_member({ network_id, username: owner.name }, as)).toMatchObject({
      code: 128,
      details: { param: 'username' },
    });
    // A removed member of a public network may join again.
    expect(await client.network.join({ network_id }, { actor: jack.id })).toMatchObject({ code: 15105 });
  });

  it('revokes the pending invitations of a removed member, so an old invitation cannot undo the removal', async () => {
    const owner = await user('owner');
    const liam = await user('liam');
    const network_id = await createNetwork(owner, 'private');
    const invitation_id = await invite(network_id, owner, liam);
    accepted(await client.network.request_join({ network_id }, { actor: liam.id }));
    accepted(await client.network.approve_request({ network_id, user_id: liam.id }, { actor: owner.id }));
    accepted(await client.network.remove_member({ network_id, username: liam.name }, { actor: owner.id }));
    expect(await client.network.accept_invitation({ invitation_id }, { actor: liam.id })).toMatchObject({
      code: 5100,
    });
    expect(await client.network.leave({ network_id }, { actor: liam.id })).toMatchObject({ code: 5002 });
  });
});
