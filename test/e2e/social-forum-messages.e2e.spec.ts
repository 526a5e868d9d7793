import type { CamledgerClient } from '@camledger/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accepted,
  createNetwork as createNetworkOf,
  type NamedUser,
  type NetworkType,
  registerNamedUser,
} from '../support/fixtures.ts';
import { startTestWorker, type TestWorker } from '../support/test-worker.ts';

// Network forums and private messages, as a client sees them over NATS
// through a real worker on the memory store.

let w: TestWorker;
let client: CamledgerClient;
beforeAll(async () => {
  w = await startTestWorker({ store: 'memory' });
  client = w.client;
});
afterAll(() => w.stop());

/** A user whose username the test needs (remove_member and message.send take usernames). */
const user = (stem: string) => registerNamedUser(client, stem);
const createNetwork = (owner: NamedUser, type: NetworkType) => createNetworkOf(client, owner.id, type);

async function startThread(network_id: string, author: NamedUser): Promise<string> {
  const result = accepted(
    await client.forum.post_message(
      { network_id, subject: 'Parcel thefts', body: 'Seen anyone?' },
      { actor: author.id },
    ),
  );
  return result.thread_id as string;
}

const missingThread = 'thr_01JD3XQ4S5M7N8P9R0T1V2W3X4';

describe('network forums', () => {
  it('starts a thread (15501 with its id) and replies in it (15500)', async () => {
    const owner = await user('owner');
    const member = await user('member');
    const network_id = await createNetwork(owner, 'public');
    accepted(await client.network.join({ network_id }, { actor: member.id }));
    const started = await client.forum.post_message(
      { network_id, subject: 'Street lights', body: 'Out again on the corner.' },
      { actor: owner.id },
    );
    expect(started).toMatchObject({
      ok: true,
      code: 15501,
      result: { thread_id: expect.stringMatching(/^thr_/) },
    });
    const thread_id = started.ok ? (started.result.thread_id as string) : '';
    expect(
      await client.forum.post_message(
        { thread_id, body: 'Reported it to the council.' },
        { actor: member.id },
      ),
    ).toMatchObject({ ok: true, code: 15500 });
  });

  it('answers 5300 to both network_id and thread_id, 128 to neither, 128 naming subject for a thread without one', async () => {
    const owner = await user('owner');
    const network_id = await createNetwork(owner, 'public');
    const thread_id = await startThread(network_id, owner);
    const as = { actor: owner.id };
    expect(await client.forum.post_message({ network_id, thread_id, body: 'hello' }, as)).toMatchObject({
      code: 5300,
      error: 'ThreadAndNetworkBoth',
    });
    expect(await client.forum.post_message({ body: 'hello' }, as)).toMatchObject({
      code: 128,
      details: { param: 'network_id' },
    });
    expect(await client.forum.post_message({ network_id, body: 'hello' }, as)).toMatchObject({
      code: 128,
      details: { param: 'subject' },
    });
  });

  it('answers 5200 to a reply in a thread that does not exist', async () => {
    const owner = await user('owner');
    const as = { actor: owner.id };
    expect(await client.forum.post_message({ thread_id: missingThread, body: 'hello' }, as)).toMatchObject({
      code: 5200,
      error: 'ThreadNotFound',
    });
    expect(await client.forum.post_message({ thread_id: 'thread-1', body: 'hello' }, as)).toMatchObject({
      code: 5200,
    });
  });

  it('answers 5000, 5001 and 5002 to posts where the network is gone, hidden, or not joined', async () => {
    const owner = await user('owner');
    const stranger = await user('stranger');
    const open = await createNetwork(owner, 'public');
    const hidden = await createNetwork(owner, 'hidden');
    const thread_id = await startThread(open, owner);
    const hiddenThread = await startThread(hidden, owner);
    const as = { actor: stranger.id };
    expect(
      await client.forum.post_message(
        { network_id: 'net_01JD3XQ4S5M7N8P9R0T1V2W3X4', subject: 'Hi', body: 'hello' },
        as,
      ),
    ).toMatchObject({ code: 5000 });
    expect(
      await client.forum.post_message({ network_id: hidden, subject: 'Hi', body: 'hello' }, as),
    ).toMatchObject({ code: 5001 });
    expect(await client.forum.post_message({ thread_id: hiddenThread, body: 'hello' }, as)).toMatchObject({
      code: 5001,
    });
    expect(
      await client.forum.post_message({ network_id: open, subject: 'Hi', body: 'hello' }, as),
    ).toMatchObject({
      code: 5002,
      error: 'NotNetworkMember',
    });
    expect(await client.forum.post_message({ thread_id, body: 'hello' }, as)).toMatchObject({ code: 5002 });
  });

  it('takes forum access from a removed member, also in threads they started (5002)', async () => {
    const owner = await user('owner');
    const mia = await user('mia');
    const network_id = await createNetwork(owner, 'private');
    accepted(await client.network.request_join({ network_id }, { actor: mia.id }));
    accepted(await client.network.approve_request({ network_id, user_id: mia.id }, { actor: owner.id }));
    const thread_id = await startThread(network_id, mia);
    accepted(await client.network.remove_member({ network_id, username: mia.name }, { actor: owner.id }));
    const as = { actor: mia.id };
    expect(await client.forum.post_message({ thread_id, body: 'still here' }, as)).toMatchObject({
      code: 5002,
    });
    expect(await client.forum.post_message({ network_id, subject: 'Again', body: 'hi' }, as)).toMatchObject({
      code: 5002,
    });
    // The thread itself stays: the owner still replies in it.
    expect(await client.forum.post_message({ thread_id, body: 'closed' }, { actor: owner.id })).toMatchObject(
      {
        code: 15500,
      },
    );
  });

  it('takes forum access from a member who leaves (5002)', async () => {
    const owner = await user('owner');
    const noah = await user('noah');
    const network_id = await createNetwork(owner, 'public');
    accepted(await client.network.join({ network_id }, { actor: noah.id }));
    const thread_id = await startThread(network_id, owner);
    accepted(await client.network.leave({ network_id }, { actor: noah.id }));
    expect(await client.forum.post_message({ thread_id, body: 'bye' }, { actor: noah.id })).toMatchObject({
      code: 5002,
    });
  });
});

describe('private messages', () => {
  it('sends a message (16600 with a thread id); both participants reply (16500)', async () => {
    const olga = await user('olga');
    const paul = await user('paul');
    const sent = await client.message.send(
      { to_username: paul.name, subject: 'Your gate', body: 'It was open last night.' },
      { actor: olga.id },
    );
    expect(sent).toMatchObject({
      ok: true,
      code: 16600,
      result: { thread_id: expect.stringMatching(/^pmt_/) },
    });
    const thread_id = sent.ok ? (sent.result.thread_id as string) : '';
    expect(await client.message.reply({ thread_id, body: 'Thanks!' }, { actor: paul.id })).toMatchObject({
      ok: true,
      code: 16500,
    });
    expect(await client.message.reply({ thread_id, body: 'Any time.' }, { actor: olga.id })).toMatchObject({
      code: 16500,
    });
  });

  it('finds the recipient whatever the case of the username', async () => {
    const quinn = await user('quinn');
    const rosa = await user('rosa');
    expect(
      await client.message.send(
        { to_username: rosa.name.toUpperCase(), subject: 'Hi', body: 'hello' },
        { actor: quinn.id },
      ),
    ).toMatchObject({ code: 16600 });
  });

  it('answers 6200 to a message to oneself and 6201 to a username nobody holds', async () => {
    const sam = await user('sam');
    const as = { actor: sam.id };
    expect(
      await client.message.send({ to_username: sam.name, subject: 'Me', body: 'note' }, as),
    ).toMatchObject({
      code: 6200,
      error: 'MessageToSelf',
    });
    expect(
      await client.message.send({ to_username: 'nobodyhere', subject: 'Hi', body: 'hello' }, as),
    ).toMatchObject({ code: 6201, error: 'RecipientNotFound' });
  });

  it('answers 6000 to a reply in a thread that does not exist and 6101 to anyone but the two participants', async () => {
    const tina = await user('tina');
    const uma = await user('uma');
    const victor = await user('victor');
    const { thread_id } = accepted(
      await client.message.send({ to_username: uma.name, subject: 'Hi', body: 'hello' }, { actor: tina.id }),
    );
    expect(
      await client.message.reply(
        { thread_id: 'pmt_01JD3XQ4S5M7N8P9R0T1V2W3X4', body: 'hi' },
        { actor: tina.id },
      ),
    ).toMatchObject({ code: 6000, error: 'PrivateThreadNotFound' });
    expect(
      await client.message.reply({ thread_id: thread_id as string, body: 'let me in' }, { actor: victor.id }),
    ).toMatchObject({ code: 6101 });
  });
});
