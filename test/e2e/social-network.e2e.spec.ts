import { randomBytes } from 'node:crypto';
import type { CamledgerClient } from '@camledger/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accepted,
  createNetwork as createNetworkOf,
  type NetworkType,
  registerCamera,
  registerUser,
} from '../support/fixtures.ts';
import { startTestWorker, type TestWorker } from '../support/test-worker.ts';

// The network family (create, update, delete, and what a deleted or hidden
// network answers) and joining with cameras, as a client sees them over NATS
// through a real worker on the memory store.

let w: TestWorker;
let client: CamledgerClient;
beforeAll(async () => {
  w = await startTestWorker({ store: 'memory' });
  client = w.client;
});
afterAll(() => w.stop());

// Ids of the right form that nothing holds: the worker must read them and find nothing.
const createNetwork = (owner: string, type: NetworkType, options: { requiresCameras?: boolean } = {}) =>
  createNetworkOf(client, owner, type, options);

const missingNetwork = 'net_01JD3XQ4S5M7N8P9R0T1V2W3X4';
const missingCamera = 'cam_01JD3XQ4S5M7N8P9R0T1V2W3X4';
// A network id the client chooses: `net_` and a ULID (Crockford base32, 26 characters).
const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const freshNetworkId = () => `net_0${Array.from(randomBytes(25), (b) => crockford[b % 32]).join('')}`;

describe('creating, updating and deleting a network', () => {
  it('creates a network (10000 with its id); the same creation again answers 10000 with that id', async () => {
    const owner = await registerUser(client);
    const network_id = freshNetworkId();
    const payload = {
      network_id,
      name: 'Elm Street',
      type: 'public' as const,
      requires_cameras: 0 as const,
      description: 'neighbours watching out',
    };
    const first = await client.network.create(payload, { actor: owner });
    expect(first).toMatchObject({ ok: true, code: 10000, result: { network_id } });
    const again = await client.network.create(payload, { actor: owner });
    expect(again).toMatchObject({ ok: true, code: 10000, result: { network_id } });
  });

  it("answers 128 naming network_id when the id is another user's network", async () => {
    const owner = await registerUser(client);
    const other = await registerUser(client);
    const payload = {
      network_id: freshNetworkId(),
      name: 'Oak Street',
      type: 'public' as const,
      requires_cameras: 0 as const,
      description: '',
    };
    accepted(await client.network.create(payload, { actor: owner }));
    expect(await client.network.create(payload, { actor: other })).toMatchObject({
      ok: false,
      code: 128,
      details: { param: 'network_id' },
    });
  });

  it('answers 5004 to a type that is not public, private or hidden, on create and on update', async () => {
    const owner = await registerUser(client);
    expect(
      await client.send(
        'network.create',
        { name: 'Pine Street', type: 'Public', requires_cameras: 0, description: '' },
        { actor: owner },
      ),
    ).toMatchObject({ ok: false, code: 5004, error: 'InvalidNetworkType' });
    const network_id = await createNetwork(owner, 'public');
    expect(
      await client.send('network.update', { network_id, type: 'secret' }, { actor: owner }),
    ).toMatchObject({ ok: false, code: 5004 });
  });

  it('updates a network: 15400, also when nothing changes; 5005 when no field is given', async () => {
    const owner = await registerUser(client);
    const network_id = await createNetwork(owner, 'public');
    const as = { actor: owner };
    expect(
      await client.network.update({ network_id, name: 'Birch Road', type: 'private' }, as),
    ).toMatchObject({ ok: true, code: 15400 });
    expect(await client.network.update({ network_id, name: 'Birch Road' }, as)).toMatchObject({
      ok: true,
      code: 15400,
    });
    expect(await client.network.update({ network_id }, as)).toMatchObject({
      ok: false,
      code: 5005,
      error: 'NoFieldsToUpdate',
    });
  });

  it("answers 5003 to a member who updates or deletes someone else's network", async () => {
    const owner = await registerUser(client);
    const member = await registerUser(client);
    const network_id = await createNetwork(owner, 'public');
    accepted(await client.network.join({ network_id }, { actor: member }));
    const as = { actor: member };
    expect(await client.network.update({ network_id, description: 'mine now' }, as)).toMatchObject({
      code: 5003,
      error: 'NotNetworkOwner',
    });
    expect(await client.network.delete({ network_id }, as)).toMatchObject({ code: 5003 });
  });

  it('answers 5000 to a network that was never created', async () => {
    const user = await registerUser(client);
    const as = { actor: user };
    expect(await client.network.update({ network_id: missingNetwork, name: 'Nowhere' }, as)).toMatchObject({
      code: 5000,
      error: 'NetworkNotFound',
    });
    expect(await client.network.delete({ network_id: missingNetwork }, as)).toMatchObject({ code: 5000 });
    expect(await client.network.join({ network_id: missingNetwork }, as)).toMatchObject({ code: 5000 });
    expect(await client.network.request_join({ network_id: 'not-a-network' }, as)).toMatchObject({
      code: 5000,
    });
  });

  it('answers 5002 to a non-member who leaves a network they can see', async () => {
    const owner = await registerUser(client);
    const stranger = await registerUser(client);
    const network_id = await createNetwork(owner, 'public');
    expect(await client.network.leave({ network_id }, { actor: stranger })).toMatchObject({
      code: 5002,
      error: 'NotNetworkMember',
    });
  });

  it('answers 128 naming network_id when the owner tries to leave their own network', async () => {
    const owner = await registerUser(client);
    const network_id = await createNetwork(owner, 'public');
    expect(await client.network.leave({ network_id }, { actor: owner })).toMatchObject({
      code: 128,
      details: { param: 'network_id' },
    });
  });

  it('deletes a network (15200); from then on it answers 5000 to everything, its owner included', async () => {
    const owner = await registerUser(client);
    const member = await registerUser(client);
    const invitee = `inv${Date.now().toString(36)}`;
    const inviteeId = accepted(await client.account.register({ username: invitee })).user_id as string;
    const network_id = await createNetwork(owner, 'private');
    const invitation = accepted(
      await client.network.invite({ network_id, username: invitee }, { actor: owner }),
    );
    accepted(await client.network.request_join({ network_id }, { actor: member }));
    const thread = accepted(
      await client.forum.post_message({ network_id, subject: 'Hello', body: 'first post' }, { actor: owner }),
    );

    expect(await client.network.delete({ network_id }, { actor: owner })).toMatchObject({
      ok: true,
      code: 15200,
    });

    const byOwner = { actor: owner };
    const answers = await Promise.all([
      client.network.update({ network_id, name: 'Again' }, byOwner),
      client.network.delete({ network_id }, byOwner),
      client.network.join({ network_id }, { actor: member }),
      client.network.request_join({ network_id }, { actor: member }),
      client.network.approve_request({ network_id, user_id: member }, byOwner),
      client.network.decline_request({ network_id, user_id: member }, byOwner),
      client.network.invite({ network_id, username: invitee }, byOwner),
      client.network.leave({ network_id }, byOwner),
      client.network.remove_member({ network_id, username: invitee }, byOwner),
      client.network.accept_invitation(
        { invitation_id: invitation.invitation_id as string },
        { actor: inviteeId },
      ),
      client.forum.post_message({ network_id, subject: 'Still here?', body: 'hello' }, byOwner),
      client.forum.post_message({ thread_id: thread.thread_id as string, body: 'hello' }, byOwner),
    ]);
    for (const answer of answers) expect(answer).toMatchObject({ ok: false, code: 5000 });
  });
});

describe('a hidden network seen by a non-member', () => {
  it('answers 5001 to every command, also the owner-only ones, and only the network id in details', async () => {
    const owner = await registerUser(client);
    const stranger = await registerUser(client);
    const network_id = await createNetwork(owner, 'hidden');
    const as = { actor: stranger };
    const answers = await Promise.all([
      client.network.update({ network_id, name: 'Peek' }, as),
      client.network.delete({ network_id }, as),
      client.network.join({ network_id }, as),
      client.network.request_join({ network_id }, as),
      client.network.approve_request({ network_id, user_id: stranger }, as),
      client.network.decline_request({ network_id, user_id: stranger }, as),
      client.network.invite({ network_id, username: 'someone' }, as),
      client.network.leave({ network_id }, as),
      client.network.remove_member({ network_id, username: 'someone' }, as),
      client.forum.post_message({ network_id, subject: 'Hi', body: 'anyone?' }, as),
    ]);
    for (const answer of answers) {
      expect(answer).toMatchObject({ ok: false, code: 5001, error: 'NetworkHidden' });
      // Nothing beyond what the client sent: no owner, no name, no members.
      expect(answer.ok ? null : answer.details).toEqual({ network_id });
    }
  });
});

describe('joining with cameras', () => {
  it('joins a public network (15105); joining again answers 5402', async () => {
    const owner = await registerUser(client);
    const user = await registerUser(client);
    const network_id = await createNetwork(owner, 'public');
    expect(await client.network.join({ network_id }, { actor: user })).toMatchObject({
      ok: true,
      code: 15105,
    });
    expect(await client.network.join({ network_id }, { actor: user })).toMatchObject({
      code: 5402,
      error: 'AlreadyMember',
    });
    expect(await client.network.request_join({ network_id }, { actor: user })).toMatchObject({ code: 5402 });
  });

  it('answers 5400 to a join of a private network, and 10000 to a request to join it', async () => {
    const owner = await registerUser(client);
    const user = await registerUser(client);
    const network_id = await createNetwork(owner, 'private');
    expect(await client.network.join({ network_id }, { actor: user })).toMatchObject({
      code: 5400,
      error: 'NetworkNotPublic',
    });
    expect(await client.network.request_join({ network_id }, { actor: user })).toMatchObject({
      ok: true,
      code: 10000,
    });
  });

  it('checks the cameras of a network that requires them: 5401, 5410, 5411, 5412, 5413, then 15105', async () => {
    const owner = await registerUser(client);
    const user = await registerUser(client);
    const neighbour = await registerUser(client);
    const own = await registerCamera(client, user);
    const theirs = await registerCamera(client, neighbour);
    const network_id = await createNetwork(owner, 'public', { requiresCameras: true });
    const join = (cameras?: unknown[]) =>
      client.send('network.join', cameras === undefined ? { network_id } : { network_id, cameras }, {
        actor: user,
      });

    expect(await join()).toMatchObject({ code: 5401, error: 'CamerasRequired' });
    expect(await join([])).toMatchObject({ code: 5410, error: 'EmptyCameraList' });
    expect(await join([own, 'porch-cam'])).toMatchObject({
      code: 5411,
      error: 'InvalidCameraId',
      details: { camera_id: 'porch-cam' },
    });
    expect(await join([own, 42])).toMatchObject({ code: 5411 });
    expect(await join([own, missingCamera])).toMatchObject({
      code: 5412,
      error: 'UnknownCameraId',
      details: { camera_id: missingCamera },
    });
    expect(await join([own, theirs])).toMatchObject({ code: 5413, details: { camera_id: theirs } });
    expect(await join([own, own])).toMatchObject({ ok: true, code: 15105 });
  });

  it('applies the same camera checks to a request to join', async () => {
    const owner = await registerUser(client);
    const user = await registerUser(client);
    const network_id = await createNetwork(owner, 'private', { requiresCameras: true });
    const as = { actor: user };
    expect(await client.network.request_join({ network_id }, as)).toMatchObject({ code: 5401 });
    expect(await client.network.request_join({ network_id, cameras: [missingCamera] }, as)).toMatchObject({
      code: 5412,
    });
    const camera = await registerCamera(client, user);
    expect(await client.network.request_join({ network_id, cameras: [camera] }, as)).toMatchObject({
      ok: true,
      code: 10000,
    });
  });

  it('lets a member bring cameras to a network that does not require them', async () => {
    const owner = await registerUser(client);
    const user = await registerUser(client);
    const camera = await registerCamera(client, user);
    const network_id = await createNetwork(owner, 'public');
    expect(await client.network.join({ network_id, cameras: [camera] }, { actor: user })).toMatchObject({
      code: 15105,
    });
  });
});
