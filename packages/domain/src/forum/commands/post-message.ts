import { match } from 'ts-pattern';
import { z } from 'zod';
import {
  accept,
  acceptUnchanged,
  type Decision,
  defineCommand,
  derivedIdTaken,
  isId,
  type Loaded,
  reject,
} from '../../kernel/index.ts';
import { gate, isMember, type NetworkState, readNetwork } from '../../network/index.ts';
import { param } from '../../validation/index.ts';
import type { ForumReplyPosted, ForumThreadStarted } from '../events.ts';
import { type ForumThreadState, forumThreadAggregate } from '../state.ts';

export const postMessagePayload = z.object({
  network_id: param.ref().optional(),
  thread_id: param.ref().optional(),
  subject: param.text(1, 128).optional(),
  body: param.text(1, 4096),
});

type NewThread = {
  readonly kind: 'new';
  readonly threadId: string;
  readonly thread: Loaded<ForumThreadState>;
  readonly network: Loaded<NetworkState>;
};
type Reply = {
  readonly kind: 'reply';
  readonly thread: Loaded<ForumThreadState> | null;
  readonly network: Loaded<NetworkState> | null;
};
/** What load found, by the form of the request: which of network_id and thread_id it carries. */
type Found = { readonly kind: 'both' } | { readonly kind: 'neither' } | NewThread | Reply;

type Payload = z.output<typeof postMessagePayload>;

function startThread(p: Payload, loaded: NewThread, actor: string, commandId: string): Decision {
  const networkId = p.network_id as string;
  if (p.subject === undefined)
    return reject('MissingParameter', { param: 'subject', reason: 'a new thread needs a subject' });
  const refusal = gate(loaded.network.state, actor, networkId);
  if (refusal) return refusal;
  if (!isMember(loaded.network.state, actor)) return reject('NotNetworkMember', { network_id: networkId });
  // The worker derives the id from the actor's command id: a thread already
  // there in the same network on the same subject is this command, done
  // before. Any other is not this command's to answer for (128).
  if (loaded.thread.state.exists) {
    const { networkId: where, subject } = loaded.thread.state;
    return where === networkId && subject === p.subject
      ? acceptUnchanged('ForumThreadStarted', { thread_id: loaded.threadId })
      : derivedIdTaken(commandId);
  }
  const started: ForumThreadStarted = {
    type: 'ForumThreadStarted',
    data: { threadId: loaded.threadId, networkId, authorId: actor, subject: p.subject, body: p.body },
  };
  return accept('ForumThreadStarted', loaded.thread, [started], { thread_id: loaded.threadId });
}

function reply(p: Payload, { thread, network }: Reply, actor: string): Decision {
  const threadId = p.thread_id as string;
  if (thread === null || network === null || !thread.state.exists)
    return reject('ThreadNotFound', { thread_id: threadId });
  const networkId = thread.state.networkId as string;
  const refusal = gate(network.state, actor, networkId);
  if (refusal) return refusal;
  if (!isMember(network.state, actor)) return reject('NotNetworkMember', { network_id: networkId });
  const posted: ForumReplyPosted = {
    type: 'ForumReplyPosted',
    data: { threadId, networkId, authorId: actor, body: p.body },
  };
  return accept('ForumReplyPosted', thread, [posted]);
}

/**
 * forum.post_message: with network_id (and a subject) it starts a thread in
 * that network's forum (15501 + thread_id); with thread_id it replies
 * (15500). Only members post: membership is read from the network at the
 * time of posting, so a member removed since gets 5002 and a deleted network
 * 5000, also in threads opened before.
 */
export const postMessage = defineCommand({
  name: 'forum.post_message',
  internal: false,
  payload: postMessagePayload,
  async load(p, ctx, reader): Promise<Found> {
    if (p.network_id !== undefined && p.thread_id !== undefined) return { kind: 'both' };
    if (p.network_id !== undefined) {
      // The new thread's id is settled here, once: decide writes to the stream read here.
      const threadId = ctx.newId('thr');
      return {
        kind: 'new',
        threadId,
        thread: await reader.read(forumThreadAggregate, threadId),
        network: await readNetwork(reader, p.network_id),
      };
    }
    if (p.thread_id !== undefined) {
      // An id of the wrong form never becomes a stream name: it is simply not found.
      const thread = isId('thr', p.thread_id) ? await reader.read(forumThreadAggregate, p.thread_id) : null;
      const networkId = thread?.state.networkId ?? null;
      return {
        kind: 'reply',
        thread,
        network: networkId === null ? null : await readNetwork(reader, networkId),
      };
    }
    return { kind: 'neither' };
  },
  decide: (p, loaded, ctx) =>
    match(loaded)
      .with({ kind: 'both' }, () =>
        reject('ThreadAndNetworkBoth', { network_id: p.network_id, thread_id: p.thread_id }),
      )
      .with({ kind: 'neither' }, () =>
        reject('MissingParameter', { param: 'network_id', reason: 'one of network_id or thread_id' }),
      )
      .with({ kind: 'new' }, (found) => startThread(p, found, String(ctx.actor), ctx.commandId))
      .with({ kind: 'reply' }, (found) => reply(p, found, String(ctx.actor)))
      .exhaustive(),
});
