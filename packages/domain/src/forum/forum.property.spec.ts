import { play, type Streams } from '@camledger/testing';
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { failures } from '../codes/index.ts';
import type { NetworkEvent, NetworkType } from '../network/index.ts';
import {
  alice,
  bob,
  cameras,
  carol,
  dave,
  ev,
  networkId,
  networkStream,
  usernames,
} from '../testing/fixtures/network.ts';
import { testId } from '../testing/index.ts';

const threadId = testId('thr', 5);
const others = [bob, carol, dave] as const;

/** What happened to a user in the network: the last membership event decides, as in the network property. */
const fate = fc.constantFrom<'never' | 'joined' | 'left' | 'removed'>('never', 'joined', 'left', 'removed');

function history(type: NetworkType, fates: readonly string[], deleted: boolean): NetworkEvent[] {
  const events: NetworkEvent[] = [ev.created(type)];
  others.forEach((user, i) => {
    if (fates[i] === 'never') return;
    events.push(type === 'public' ? ev.joined(user) : ev.approved(user));
    if (fates[i] === 'left') events.push(ev.left(user));
    if (fates[i] === 'removed') events.push(ev.removed(user));
  });
  if (deleted) events.push(ev.deleted());
  return events;
}

describe('forum (property)', () => {
  it('only members post: a post is accepted iff the author is a member of a live network, else 5000/5001/5002', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<NetworkType>('public', 'private', 'hidden'),
        fc.array(fate, { minLength: 3, maxLength: 3 }),
        fc.boolean(),
        fc.constantFrom(alice, ...others),
        fc.boolean(),
        async (type, fates, deleted, author, asReply) => {
          const network = history(type, fates, deleted);
          const streams: Streams = {
            ...usernames,
            ...cameras,
            [networkStream]: network,
            [`forumthread-${threadId}`]: [
              {
                type: 'ForumThreadStarted',
                data: { threadId, networkId, authorId: alice, subject: 'Welcome', body: 'Say hello' },
              },
            ],
          };
          const payload = asReply
            ? { thread_id: threadId, body: 'Hello' }
            : { network_id: networkId, subject: 'Hello', body: 'Hello' };
          const decision = await play(streams, 'forum.post_message', payload, author, 1);
          // Known from what the property drew, not from the domain's own fold:
          // the owner and everyone who joined and stayed, while the network lives.
          const member = !deleted && (author === alice || fates[others.indexOf(author)] === 'joined');
          expect(decision.ok).toBe(member);
          if (!decision.ok) {
            const expected = deleted
              ? failures.NetworkNotFound
              : type === 'hidden'
                ? failures.NetworkHidden
                : failures.NotNetworkMember;
            expect(decision.code).toBe(expected.code);
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
