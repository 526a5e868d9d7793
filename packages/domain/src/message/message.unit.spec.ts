import { specFor } from '@camledger/testing';
import { describe, it } from 'vitest';
import { alice, bob, carol, usernames } from '../testing/fixtures/network.ts';
import { testId } from '../testing/index.ts';
import { messageSlice } from './index.ts';

const given = specFor(messageSlice.commands);
const as = (actor: string) => ({ actor: actor as `usr_${string}` });
const threadId = testId('pmt', 5);
const newThreadId = testId('pmt', 900);
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

  it('writing to oneself answers 6200', async () => {
    await given(usernames)
      .when('message.send', { to_username: 'alice', subject: 'Hi', body: 'Me' }, as(alice))
      .thenRejects('MessageToSelf');
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

  it('replying in an unknown thread answers 6000', async () => {
    await given(conversation)
      .when('message.reply', { thread_id: testId('pmt', 99), body: 'x' }, as(bob))
      .thenRejects('PrivateThreadNotFound');
    await given(conversation)
      .when('message.reply', { thread_id: 'pmt-1', body: 'x' }, as(bob))
      .thenRejects('PrivateThreadNotFound');
  });

  it('someone outside the conversation answers 6101', async () => {
    await given(conversation)
      .when('message.reply', { thread_id: threadId, body: 'Me too' }, as(carol))
      .thenRejects('PrivateThreadReplyForbidden');
  });
});
