import { specFor } from '@camledger/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '../kernel/index.ts';
import type { NetworkEvent } from '../network/index.ts';
import { alice, bob, carol, ev, networkId, world } from '../testing/fixtures/network.ts';
import { generatedTestId, testId } from '../testing/index.ts';
import { type ForumThreadEvent, forumSlice, forumThreadAggregate } from './index.ts';

const given = specFor(forumSlice.commands);
const as = (actor: string) => ({ actor: actor as `usr_${string}` });
const threadId = testId('thr', 5);
const newThreadId = generatedTestId('thr', 900, bob);

const started = {
  type: 'ForumThreadStarted',
  data: { threadId, networkId, authorId: alice, subject: 'Van parked at no. 12', body: 'Seen it?' },
};
/** A network with the given history and one thread in its forum. */
const withThread = (...network: NetworkEvent[]) => ({
  ...world(...network),
  [`forumthread-${threadId}`]: [started],
});

describe('forum.post_message, new thread', () => {
  it('a member starts a thread: 15501 with the new thread_id', async () => {
    await given(world(ev.created(), ev.joined(bob)))
      .when('forum.post_message', { network_id: networkId, subject: 'Hello', body: 'First post' }, as(bob))
      .thenAccepts('ForumThreadStarted', {
        stream: `forumthread-${newThreadId}`,
        result: { thread_id: newThreadId },
        events: [
          {
            type: 'ForumThreadStarted',
            data: { threadId: newThreadId, networkId, authorId: bob, subject: 'Hello', body: 'First post' },
          },
        ],
      });
  });

  it('found already started by this command (its reply was lost) answers the same thread_id, posting nothing', async () => {
    const earlier = {
      type: 'ForumThreadStarted',
      data: { threadId: newThreadId, networkId, authorId: bob, subject: 'Hello', body: 'First post' },
    };
    await given({ ...world(ev.created(), ev.joined(bob)), [`forumthread-${newThreadId}`]: [earlier] })
      .when('forum.post_message', { network_id: networkId, subject: 'Hello', body: 'First post' }, as(bob))
      .thenAccepts('ForumThreadStarted', { events: [], result: { thread_id: newThreadId } });
  });

  it('a thread the derived id names in another network or on another subject is 128, not answered as this one', async () => {
    const elsewhere = {
      type: 'ForumThreadStarted',
      data: {
        threadId: newThreadId,
        networkId: testId('net', 9),
        authorId: bob,
        subject: 'Hello',
        body: 'x',
      },
    };
    await given({ ...world(ev.created(), ev.joined(bob)), [`forumthread-${newThreadId}`]: [elsewhere] })
      .when('forum.post_message', { network_id: networkId, subject: 'Hello', body: 'First post' }, as(bob))
      .thenRejects('MissingParameter', { param: 'command_id' });
    const otherSubject = {
      type: 'ForumThreadStarted',
      data: { threadId: newThreadId, networkId, authorId: bob, subject: 'Earlier', body: 'x' },
    };
    await given({ ...world(ev.created(), ev.joined(bob)), [`forumthread-${newThreadId}`]: [otherSubject] })
      .when('forum.post_message', { network_id: networkId, subject: 'Hello', body: 'First post' }, as(bob))
      .thenRejects('MissingParameter', { param: 'command_id' });
  });

  it('both network_id and thread_id answer 5300', async () => {
    await given(withThread(ev.created()))
      .when('forum.post_message', { network_id: networkId, thread_id: threadId, body: 'x' }, as(alice))
      .thenRejects('ThreadAndNetworkBoth', { network_id: networkId, thread_id: threadId });
  });

  it('neither network_id nor thread_id answers 128', async () => {
    await given(world(ev.created()))
      .when('forum.post_message', { body: 'x' }, as(alice))
      .thenRejects('MissingParameter', { param: 'network_id' });
  });

  it('a new thread without a subject answers 128 naming subject', async () => {
    await given(world(ev.created()))
      .when('forum.post_message', { network_id: networkId, body: 'x' }, as(alice))
      .thenRejects('MissingParameter', { param: 'subject' });
  });

  it('an empty body answers 192', async () => {
    await given(world(ev.created()))
      .when('forum.post_message', { network_id: networkId, subject: 's', body: '' }, as(alice))
      .thenRejects('StringTooShort', { param: 'body' });
  });

  it('posting into a deleted network answers 5000', async () => {
    await given(world(ev.created(), ev.deleted()))
      .when('forum.post_message', { network_id: networkId, subject: 's', body: 'x' }, as(alice))
      .thenRejects('NetworkNotFound');
  });

  it('a non-member posting into a hidden network answers 5001', async () => {
    await given(world(ev.created('hidden')))
      .when('forum.post_message', { network_id: networkId, subject: 's', body: 'x' }, as(bob))
      .thenRejects('NetworkHidden');
  });

  it('a non-member posting into a visible network answers 5002', async () => {
    await given(world(ev.created()))
      .when('forum.post_message', { network_id: networkId, subject: 's', body: 'x' }, as(bob))
      .thenRejects('NotNetworkMember', { network_id: networkId });
  });
});

describe('forum.post_message, reply', () => {
  it('a member replies in a thread: 15500', async () => {
    await given(withThread(ev.created(), ev.joined(bob)))
      .when('forum.post_message', { thread_id: threadId, body: 'Yes, twice' }, as(bob))
      .thenAccepts('ForumReplyPosted', {
        stream: `forumthread-${threadId}`,
        result: {},
        events: [
          { type: 'ForumReplyPosted', data: { threadId, networkId, authorId: bob, body: 'Yes, twice' } },
        ],
      });
  });

  it('a thread with replies already takes another', async () => {
    const replied = {
      type: 'ForumReplyPosted',
      data: { threadId, networkId, authorId: alice, body: 'Twice' },
    };
    await given({
      ...withThread(ev.created(), ev.joined(bob)),
      [`forumthread-${threadId}`]: [started, replied],
    })
      .when('forum.post_message', { thread_id: threadId, body: 'Three times' }, as(bob))
      .thenAccepts('ForumReplyPosted', {
        events: [
          { type: 'ForumReplyPosted', data: { threadId, networkId, authorId: bob, body: 'Three times' } },
        ],
      });
  });

  it('replying in an unknown thread answers 5200', async () => {
    await given(withThread(ev.created()))
      .when('forum.post_message', { thread_id: testId('thr', 99), body: 'x' }, as(alice))
      .thenRejects('ThreadNotFound', { thread_id: testId('thr', 99) });
    await given(withThread(ev.created()))
      .when('forum.post_message', { thread_id: 'thread-1', body: 'x' }, as(alice))
      .thenRejects('ThreadNotFound', { thread_id: 'thread-1' });
  });

  it('a member removed since answers 5002 in a thread of that network', async () => {
    await given(withThread(ev.created(), ev.joined(bob), ev.removed(bob)))
      .when('forum.post_message', { thread_id: threadId, body: 'Still here?' }, as(bob))
      .thenRejects('NotNetworkMember', { network_id: networkId });
  });

  it('a thread of a deleted network answers 5000', async () => {
    await given(withThread(ev.created(), ev.deleted()))
      .when('forum.post_message', { thread_id: threadId, body: 'x' }, as(alice))
      .thenRejects('NetworkNotFound');
  });

  it('a non-member replying in a thread of a hidden network answers 5001', async () => {
    await given(withThread(ev.created('hidden')))
      .when('forum.post_message', { thread_id: threadId, body: 'x' }, as(carol))
      .thenRejects('NetworkHidden');
  });
});

describe('a forum thread rebuilt from its events', () => {
  it('counts every post, the opening one included, and keeps its subject and network', () => {
    const reply = (body: string) => ({
      type: 'ForumReplyPosted' as const,
      data: { threadId, networkId, authorId: bob, body },
    });
    const state = fold(forumThreadAggregate, [started as ForumThreadEvent, reply('one'), reply('two')]);
    expect(state).toEqual({
      exists: true,
      threadId,
      networkId,
      subject: 'Van parked at no. 12',
      posts: 3,
    });
  });
});
