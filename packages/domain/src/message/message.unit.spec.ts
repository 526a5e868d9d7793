import { specFor } from '@camledger/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '../kernel/index.ts';
import { alice, bob, carol, usernames } from '../testing/fixtures/network.ts';
import { generatedTestId, testId } from '../testing/index.ts';
import { messageSlice, type PrivateThreadEvent, privateThreadAggregate } from './index.ts';

const given = specFor(messageSlice.commands);
const as = (actor: string) => ({ actor: actor as `usr_${string}` });
const threadId = testId('pmt', 5);
const newThreadId = generatedTestId('pmt', 900, alice);
const conversation = {
  ...usernames,
  [`privatethread-${threadId}`]: [
    {
      type: 'PrivateThreadStarted',
      data: {
        threadId,
        senderId: alice,
        recipientId: bob,
        subject: 'Your camera',
        body: 'It faces my garden',
      },
    },
  ],
};

describe('message.send', () => {
  it('writing to another user by username answers 16600 with the new thread_id', async () => {
    await given(usernames)
      .when('message.send', { to_username: 'Bob', subject: 'Hi', body: 'Hello Bob' }, as(alice))
      .thenAccepts('PrivateMessageSent', {
        stream: `privatethread-${newThreadId}`,
        result: { thread_id: newThreadId },
        events: [
          {
            type: 'PrivateThreadStarted',
            data: {
              threadId: newThreadId,
              senderId: alice,
              recipientId: bob,
              subject: 'Hi',
              body: 'Hello Bob',
            },
          },
        ],
      });
  });

  it('found already sent by this command (its reply was lost) answers the same thread_id, sending nothing', async () => {
    const earlier = {
      type: 'PrivateThreadStarted',
      data: { threadId: newThreadId, senderId: alice, recipientId: bob, subject: 'Hi', body: 'Hello Bob' },
    };
    await given({ ...usernames, [`privatethread-${newThreadId}`]: [earlier] })
      .when('message.send', { to_username: 'bob', subject: 'Hi', body: 'Hello Bob' }, as(alice))
      .thenAccepts('PrivateMessageSent', { events: [], result: { thread_id: newThreadId } });
  });

  it('a thread the derived id names with someone else, or on another subject, is 128: never sent into', async () => {
    // The command id sent to bob more than 7 days ago, sent again to carol.
    const withBob = {
      type: 'PrivateThreadStarted',
      data: { threadId: newThreadId, senderId: alice, recipientId: bob, subject: 'Hi', body: 'Hello Bob' },
    };
    await given({ ...usernames, [`privatethread-${newThreadId}`]: [withBob] })
      .when('message.send', { to_username: 'carol', subject: 'Hi', body: 'Hello Carol' }, as(alice))
      .thenRejects('MissingParameter', { param: 'command_id' });
    await given({ ...usernames, [`privatethread-${newThreadId}`]: [withBob] })
      .when('message.send', { to_username: 'bob', subject: 'Another matter', body: 'x' }, as(alice))
      .thenRejects('MissingParameter', { param: 'command_id' });
  });

  it('writing to oneself answers 6200', async () => {
    await given(usernames)
      .when('message.send', { to_username: 'alice', subject: 'Hi', body: 'Me' }, as(alice))
      .thenRejects('MessageToSelf', { to_username: 'alice' });
  });

  it('writing to a username nobody holds answers 6201', async () => {
    await given(usernames)
      .when('message.send', { to_username: 'nobody', subject: 'Hi', body: 'x' }, as(alice))
      .thenRejects('RecipientNotFound', { to_username: 'nobody' });
  });

  it('a subject longer than 128 characters answers 200', async () => {
    await given(usernames)
      .when('message.send', { to_username: 'bob', subject: 's'.repeat(129), body: 'x' }, as(alice))
      .thenRejects('StringTooLong', { param: 'subject' });
  });
});

describe('message.reply', () => {
  it('the recipient replies: 16500', async () => {
    await given(conversation)
      .when('message.reply', { thread_id: threadId, body: 'Sorry, will move it' }, as(bob))
      .thenAccepts('PrivateReplySent', {
        stream: `privatethread-${threadId}`,
        events: [
          { type: 'PrivateReplyPosted', data: { threadId, senderId: bob, body: 'Sorry, will move it' } },
        ],
      });
  });

  it('the sender answers a reply: a thread with replies takes more', async () => {
    const replied = { type: 'PrivateReplyPosted', data: { threadId, senderId: bob, body: 'Which one?' } };
    const streams = conversation[`privatethread-${threadId}`] ?? [];
    await given({ ...conversation, [`privatethread-${threadId}`]: [...streams, replied] })
      .when('message.reply', { thread_id: threadId, body: 'The one by the gate' }, as(alice))
      .thenAccepts('PrivateReplySent', {
        events: [
          { type: 'PrivateReplyPosted', data: { threadId, senderId: alice, body: 'The one by the gate' } },
        ],
      });
  });

  it('replying in an unknown thread answers 6000', async () => {
    await given(conversation)
      .when('message.reply', { thread_id: testId('pmt', 99), body: 'x' }, as(bob))
      .thenRejects('PrivateThreadNotFound', { thread_id: testId('pmt', 99) });
    await given(conversation)
      .when('message.reply', { thread_id: 'pmt-1', body: 'x' }, as(bob))
      .thenRejects('PrivateThreadNotFound', { thread_id: 'pmt-1' });
  });

  it('someone outside the conversation answers 6101', async () => {
    await given(conversation)
      .when('message.reply', { thread_id: threadId, body: 'Me too' }, as(carol))
      .thenRejects('PrivateThreadReplyForbidden', { thread_id: threadId });
  });
});

describe('a private thread rebuilt from its events', () => {
  it('counts every message, the first included, and keeps its two participants and subject', () => {
    const reply = (senderId: string, body: string) => ({
      type: 'PrivateReplyPosted' as const,
      data: { threadId, senderId, body },
    });
    const events = [
      ...(conversation[`privatethread-${threadId}`] ?? []),
      reply(bob, 'Sorry'),
      reply(alice, 'Thanks'),
    ] as PrivateThreadEvent[];
    expect(fold(privateThreadAggregate, events)).toEqual({
      exists: true,
      threadId,
      participants: [alice, bob],
      subject: 'Your camera',
      messages: 3,
    });
  });
});
