import { play, type Streams } from '@camledger/testing';
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { failures } from '../codes/index.ts';
import { fold } from '../kernel/index.ts';
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
import type { NetworkEvent, NetworkType } from './index.ts';
import { isMember, networkAggregate } from './state.ts';

const names: Record<string, string> = { [alice]: 'alice', [bob]: 'bob', [carol]: 'carol', [dave]: 'dave' };
const kinds = ['join', 'request', 'approve', 'decline', 'invite', 'accept', 'leave', 'remove'] as const;
type Kind = (typeof kinds)[number];
interface Op {
  readonly kind: Kind;
  readonly user: string;
}

const opArb = (users: readonly string[]) =>
  fc.record({ kind: fc.constantFrom(...kinds), user: fc.constantFrom(...users) });

/** The last invitation sent to `user` in the network's history, or an id nobody was given. */
function invitationFor(streams: Streams, user: string): string {
  const sent = (streams[networkStream] ?? []).filter(
    (e) => e.type === 'NetworkInvitationSent' && (e.data as { userId: string }).userId === user,
  );
  const last = sent.at(-1);
  return last ? (last.data as { invitationId: string }).invitationId : testId('inv', 'NONE');
}

/** Runs one membership operation; the owner (alice) answers requests, invites and removes. */
async function perform(streams: Streams, op: Op, step: number) {
  const network_id = networkId;
  const { user } = op;
  switch (op.kind) {
    case 'join':
      return play(streams, 'network.join', { network_id }, user, step);
    case 'request':
      return play(streams, 'network.request_join', { network_id }, user, step);
    case 'approve':
      return play(streams, 'network.approve_request', { network_id, user_id: user }, alice, step);
    case 'decline':
      return play(streams, 'network.decline_request', { network_id, user_id: user }, alice, step);
    case 'invite':
      return play(streams, 'network.invite', { network_id, username: names[user] }, alice, step);
    case 'accept':
      return play(
        streams,
        'network.accept_invitation',
        { invitation_id: invitationFor(streams, user) },
        user,
        step,
      );
    case 'leave':
      return play(streams, 'network.leave', { network_id }, user, step);
    case 'remove':
      return play(streams, 'network.remove_member', { network_id, username: names[user] }, alice, step);
  }
}

const membershipSays: Partial<Record<NetworkEvent['type'], boolean>> = {
  NetworkJoined: true,
  NetworkJoinRequestApproved: true,
  NetworkInvitationAccepted: true,
  NetworkLeft: false,
  NetworkMemberRemoved: false,
};

async function simulate(type: NetworkType, ops: readonly Op[]): Promise<Streams> {
  const streams: Streams = { ...usernames, ...cameras, [networkStream]: [ev.created(type)] };
  for (const [step, op] of ops.entries()) await perform(streams, op, step);
  return streams;
}

const typeArb = fc.constantFrom<NetworkType>('public', 'private', 'hidden');

describe('network membership (property)', () => {
  it('after any sequence of joins, leaves, removals, approvals and acceptances, a user is a member iff the last such event says so', async () => {
    await fc.assert(
      fc.asyncProperty(typeArb, fc.array(opArb([bob, carol, dave]), { maxLength: 30 }), async (type, ops) => {
        const streams = await simulate(type, ops);
        const history = streams[networkStream] as readonly NetworkEvent[];
        const state = fold(networkAggregate, history);
        for (const user of [bob, carol, dave]) {
          const last = history
            .filter(
              (e) => membershipSays[e.type] !== undefined && (e.data as { userId?: string }).userId === user,
            )
            .at(-1);
          expect(isMember(state, user)).toBe(last ? membershipSays[last.type] : false);
        }
        expect(isMember(state, alice)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('hidden networks never reveal themselves to non-members: every command answers 5001 (5000 once deleted)', async () => {
    const nonMember = dave;
    const probes = [
      ['network.update', { network_id: networkId, name: 'Taken over' }],
      ['network.update', { network_id: networkId, type: 'bogus' }],
      ['network.update', { network_id: networkId }],
      ['network.delete', { network_id: networkId }],
      ['network.join', { network_id: networkId }],
      ['network.join', { network_id: networkId, cameras: [] }],
      ['network.request_join', { network_id: networkId, cameras: ['nonsense'] }],
      ['network.approve_request', { network_id: networkId, user_id: bob }],
      ['network.decline_request', { network_id: networkId, user_id: carol }],
      ['network.invite', { network_id: networkId, username: 'bob' }],
      ['network.invite', { network_id: networkId, username: 'nobody' }],
      ['network.leave', { network_id: networkId }],
      ['network.remove_member', { network_id: networkId, username: 'bob' }],
      ['network.remove_member', { network_id: networkId, username: 'nobody' }],
      ['forum.post_message', { network_id: networkId, subject: 'Hi', body: 'Anyone?' }],
    ] as const;
    const command = fc.constantFrom(...probes);
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb([bob, carol]), { maxLength: 15 }),
        fc.boolean(),
        command,
        async (ops, deleted, [name, payload]) => {
          const streams = await simulate('hidden', ops);
          if (deleted) await play(streams, 'network.delete', { network_id: networkId }, alice, 99);
          const decision = await play(streams, name, payload, nonMember, 100);
          const expected = deleted ? failures.NetworkNotFound : failures.NetworkHidden;
          expect(decision).toMatchObject({ ok: false, code: expected.code });
          // Nothing about the network beyond its id: no names, members, cameras or invitations.
          expect(decision.ok ? {} : decision.details).toEqual({ network_id: networkId });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a non-member cannot accept anybody else's invitation into a hidden network: 5100, as for none", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb([bob, carol]), { maxLength: 15 }), async (ops) => {
        const streams = await simulate('hidden', [...ops, { kind: 'invite', user: bob }]);
        const decision = await play(
          streams,
          'network.accept_invitation',
          { invitation_id: invitationFor(streams, bob) },
          dave,
          100,
        );
        expect(decision).toMatchObject({ ok: false, code: failures.InvitationNotFound.code });
      }),
      { numRuns: 30 },
    );
  });
});
