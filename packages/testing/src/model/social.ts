import { testId } from '@camledger/domain/testing';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { ReferenceModel } from './reference.ts';
import {
  actorIndex,
  cameraRefs,
  choose,
  index,
  networkNames,
  networkPool,
  networkTypeValues,
  pick,
  Step,
  usernames,
  users,
} from './steps.ts';

// The steps of network, forum and private message commands.

const networkRef = (m: ReferenceModel, i: number) =>
  choose(m.networks.keys(), [...networkPool, testId('net', 99_999), 'net_bad'], i);

/** The actor: the network's owner when asked and known, else anyone. */
function actorFor(m: ReferenceModel, networkId: string, asOwner: boolean, i: number): string {
  const owner = m.networks.get(networkId)?.owner;
  return asOwner && owner !== undefined ? owner : pick(users, i);
}

/** Cameras brought along: none (absent), an empty list, or one or two ids (own, others', unknown, malformed). */
const cameras = fc.option(fc.array(index, { maxLength: 2 }), { nil: undefined });
function cameraList(m: ReferenceModel, actor: string, picks: readonly number[] | undefined) {
  if (picks === undefined) return undefined;
  const own = [...m.cameras.values()].filter((c) => c.owner === actor && !c.deleted).map((c) => c.id);
  return picks.map((i) => choose(own, cameraRefs, i));
}

const onNetwork = fc.record({ actor: actorIndex, asOwner: fc.boolean(), network: index });

const createNetwork = fc
  .record({ actor: actorIndex, network: index, name: index, type: index, requires: fc.boolean() })
  .map(
    ({ actor, network, name, type, requires }) =>
      new Step('network.create', (m) => {
        const by = pick(users, actor);
        const networkId = pick(networkPool, network);
        const networkName = pick(networkNames, name);
        const networkType = pick(networkTypeValues, type);
        return {
          command: 'network.create',
          actor: by,
          payload: {
            network_id: networkId,
            name: networkName,
            type: networkType,
            requires_cameras: requires ? 1 : 0,
            description: '',
          },
          prediction: m.createNetwork(by, networkId, networkName, networkType, requires, ''),
        };
      }),
  );

const updateNetwork = fc
  .record({
    on: onNetwork,
    name: fc.option(index, { nil: undefined }),
    type: fc.option(index, { nil: undefined }),
    requires: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map(
    ({ on: { actor, asOwner, network }, name, type, requires }) =>
      new Step('network.update', (m) => {
        const networkId = networkRef(m, network);
        const by = actorFor(m, networkId, asOwner, actor);
        const changes = {
          ...(name === undefined ? {} : { name: pick(networkNames, name) }),
          ...(type === undefined ? {} : { type: pick(networkTypeValues, type) }),
          ...(requires === undefined ? {} : { requiresCameras: requires }),
        };
        return {
          command: 'network.update',
          actor: by,
          payload: {
            network_id: networkId,
            ...(changes.name === undefined ? {} : { name: changes.name }),
            ...(changes.type === undefined ? {} : { type: changes.type }),
            ...(requires === undefined ? {} : { requires_cameras: requires ? 1 : 0 }),
          },
          prediction: m.updateNetwork(by, networkId, changes),
        };
      }),
  );

function plainNetworkStep(command: 'network.delete' | 'network.leave') {
  return onNetwork.map(
    ({ actor, asOwner, network }) =>
      new Step(command, (m) => {
        const networkId = networkRef(m, network);
        const by = actorFor(m, networkId, asOwner, actor);
        return {
          command,
          actor: by,
          payload: { network_id: networkId },
          prediction: command === 'network.delete' ? m.deleteNetwork(by, networkId) : m.leave(by, networkId),
        };
      }),
  );
}

function bringingCameras(command: 'network.join' | 'network.request_join') {
  return fc.record({ actor: actorIndex, network: index, cameras }).map(
    ({ actor, network, cameras: picks }) =>
      new Step(command, (m) => {
        const networkId = networkRef(m, network);
        const by = pick(users, actor);
        const list = cameraList(m, by, picks);
        return {
          command,
          actor: by,
          payload: { network_id: networkId, ...(list === undefined ? {} : { cameras: list }) },
          prediction:
            command === 'network.join' ? m.join(by, networkId, list) : m.requestJoin(by, networkId, list),
        };
      }),
  );
}

function onRequest(command: 'network.approve_request' | 'network.decline_request') {
  return fc.record({ on: onNetwork, user: actorIndex }).map(
    ({ on: { actor, asOwner, network }, user }) =>
      new Step(command, (m) => {
        const networkId = networkRef(m, network);
        const by = actorFor(m, networkId, asOwner, actor);
        // Mostly someone who asked to join, when anyone did.
        const asking = [...(m.networks.get(networkId)?.requests.keys() ?? [])];
        const userId = asking.length > 0 && user !== 0 ? pick(asking, user) : pick(users, user);
        return {
          command,
          actor: by,
          payload: { network_id: networkId, user_id: userId },
          prediction:
            command === 'network.approve_request'
              ? m.approve(by, networkId, userId)
              : m.decline(by, networkId, userId),
        };
      }),
  );
}

function byUsername(command: 'network.invite' | 'network.remove_member') {
  return fc.record({ on: onNetwork, name: index }).map(
    ({ on: { actor, asOwner, network }, name }) =>
      new Step(command, (m) => {
        const networkId = networkRef(m, network);
        const by = actorFor(m, networkId, asOwner, actor);
        const username = pick(usernames, name);
        if (command === 'network.remove_member')
          return {
            command,
            actor: by,
            payload: { network_id: networkId, username },
            prediction: m.removeMember(by, networkId, username),
          };
        const prediction = m.invite(by, networkId, username);
        return {
          command,
          actor: by,
          payload: { network_id: networkId, username },
          prediction,
          // Inviting again answers the pending invitation, not a second one.
          alsoCheck: (d) => {
            if (d.ok && prediction.pending !== undefined)
              expect(d.result.invitation_id).toBe(prediction.pending);
          },
        };
      }),
  );
}

const acceptInvitation = fc
  .record({ actor: actorIndex, asInvitee: fc.boolean(), invitation: index, cameras })
  .map(
    ({ actor, asInvitee, invitation, cameras: picks }) =>
      new Step('network.accept_invitation', (m) => {
        const invitationId = choose(m.invitations.keys(), [testId('inv', 99_999), 'inv_bad'], invitation);
        const invitee = m.invitations.get(invitationId)?.user;
        const by = asInvitee && invitee !== undefined ? invitee : pick(users, actor);
        const list = cameraList(m, by, picks);
        return {
          command: 'network.accept_invitation',
          actor: by,
          payload: { invitation_id: invitationId, ...(list === undefined ? {} : { cameras: list }) },
          prediction: m.acceptInvitation(by, invitationId, list),
        };
      }),
  );

const forumPost = fc
  .record({
    actor: actorIndex,
    form: fc.constantFrom('new', 'new', 'reply', 'reply', 'both', 'neither', 'no subject'),
    network: index,
    thread: index,
  })
  .map(
    ({ actor, form, network, thread }) =>
      new Step('forum.post_message', (m) => {
        const by = pick(users, actor);
        const networkId = networkRef(m, network);
        const threadId = choose(m.forumThreads.keys(), [testId('thr', 99_999), 'thr_bad'], thread);
        const body = { body: 'hello' };
        const post = (
          payload: Record<string, unknown>,
          codes: ReturnType<ReferenceModel['startThread']>,
        ) => ({
          command: 'forum.post_message',
          actor: by,
          payload: { ...payload, ...body },
          prediction: codes,
        });
        if (form === 'both') return post({ network_id: networkId, thread_id: threadId }, { codes: [5300] });
        if (form === 'neither') return post({ subject: 'hi' }, { codes: [128] });
        if (form === 'reply') return post({ thread_id: threadId }, m.replyInForum(by, threadId));
        const subject = form === 'new' ? 'Fox in the garden' : undefined;
        return post(
          { network_id: networkId, ...(subject === undefined ? {} : { subject }) },
          m.startThread(by, networkId, subject),
        );
      }),
  );

const sendMessage = fc.record({ actor: actorIndex, to: index }).map(
  ({ actor, to }) =>
    new Step('message.send', (m) => {
      const by = pick(users, actor);
      const toUsername = pick(usernames, to);
      return {
        command: 'message.send',
        actor: by,
        payload: { to_username: toUsername, subject: 'about the fox', body: 'did you see it?' },
        prediction: m.send(by, toUsername),
      };
    }),
);

const replyMessage = fc.record({ actor: actorIndex, thread: index }).map(
  ({ actor, thread }) =>
    new Step('message.reply', (m) => {
      const by = pick(users, actor);
      const threadId = choose(m.privateThreads.keys(), [testId('pmt', 99_999), 'pmt_bad'], thread);
      return {
        command: 'message.reply',
        actor: by,
        payload: { thread_id: threadId, body: 'yes' },
        prediction: m.replyPrivately(by, threadId),
      };
    }),
);

/** Every step of the second issue. */
export const socialSteps = [
  ...Array(3).fill(createNetwork),
  updateNetwork,
  plainNetworkStep('network.delete'),
  ...Array(2).fill(bringingCameras('network.join')),
  ...Array(2).fill(bringingCameras('network.request_join')),
  ...Array(2).fill(onRequest('network.approve_request')),
  onRequest('network.decline_request'),
  ...Array(2).fill(byUsername('network.invite')),
  ...Array(2).fill(acceptInvitation),
  plainNetworkStep('network.leave'),
  byUsername('network.remove_member'),
  ...Array(3).fill(forumPost),
  sendMessage,
  replyMessage,
];
