import {
  type AcceptedReply,
  type AnyCommandHandler,
  type CommandContext,
  commandsByName,
  type Decision,
  followUpsOf,
  type Reply,
  rejectedReply,
  type StoredEvent,
  toRejection,
  upcast,
} from '@camledger/domain';
import type { RecordedEvent } from '@camledger/event-store';
import { decideAndAppend } from './append/decide-and-append.ts';
import type { RuntimeDeps } from './deps.ts';
import type { Identity } from './identity.ts';
import { processSecrets } from './secrets.ts';

export interface CommandOutcome {
  /** What the client is answered; an accepted reply's `position` covers the follow-ups too. */
  readonly reply: Reply;
  /** The decision made now (absent when the command was found done before, by its own append). */
  readonly decision?: Decision;
  /** The events the command itself appended (or had appended), not those of its follow-ups. */
  readonly appended: readonly RecordedEvent[];
  /** Answered 128 because the command id was used for another command: the first reply stays the key's. */
  readonly reused?: true;
}

/**
 * The one command path, after the envelope: validate the payload -> load ->
 * decide -> append (with metadata, schema versions and ids derived from the
 * key; again on a conflict) -> follow-ups. The worker runs it behind
 * `execute`; every test that runs commands runs it too, over the memory store.
 */
export async function runCommand(
  deps: RuntimeDeps,
  handler: AnyCommandHandler,
  payload: unknown,
  identity: Identity,
): Promise<CommandOutcome> {
  const parsed = handler.payload.safeParse(payload);
  if (!parsed.success) {
    const rejection = toRejection(parsed.error);
    return { reply: rejectedReply(rejection), decision: rejection, appended: [] };
  }
  const now = deps.clock();
  // Every attempt (after a conflict) asks for a fresh id source, so all
  // attempts of one command, and its retries, name what they create alike.
  const context = (): CommandContext => ({
    now,
    actor: identity.actor,
    commandId: identity.commandId,
    newId: deps.newIds(identity.key, String(identity.actor)),
    config: deps.domain,
    secrets: deps.secrets ?? processSecrets(),
  });
  const attempted = await decideAndAppend(deps, handler, parsed.data, context, identity);
  return { ...attempted, reply: await followThrough(deps, attempted.appended, attempted.reply, identity) };
}

/**
 * The follow-ups of a command's append run to the end, and its reply as the
 * client gets it: its position moved on past theirs. Applied without a
 * refusal, the appends are marked followed up: the queue's delivery of them
 * to this worker needs no second run. For a first run and for a retry
 * answered from the append it finds under its key alike (follow-ups are
 * idempotent: found applied, they add nothing).
 */
export async function followThrough(
  deps: RuntimeDeps,
  appended: readonly RecordedEvent[],
  reply: Reply,
  origin: Identity,
): Promise<Reply> {
  const { furthest, refused } = await runFollowUps(deps, appended, origin);
  if (refused.length === 0) for (const event of appended) deps.followedUp.add(event.position);
  return reachingTo(reply, furthest);
}

/** A follow-up the domain refused: it will not succeed by running it again. */
export interface RefusedFollowUp {
  readonly command: string;
  readonly commandId: string;
  readonly reply: Reply;
}

export interface FollowUpsRun {
  /** The furthest log position the follow-ups appended at (or had appended at). */
  readonly furthest?: number;
  /** Follow-ups the domain rejected; the others were applied (or found applied). */
  readonly refused: readonly RefusedFollowUp[];
}

/**
 * Effects on other aggregates (DOMAIN.md §1): the follow-ups `appended`
 * asks for, run as `system`. The worker runs them inline, before the reply,
 * so the client can rely on them at once, and again from the durable
 * follow-up queue, which retries a failure until they are applied. Each
 * follow-up's command id is derived from its origin's: any run after the
 * first repeats them under the same ids and, being idempotent, adds nothing
 * twice. Reactors see events as folds do, upcast to today's shape. A
 * failure of the store or the network is thrown; a follow-up the domain
 * rejects is logged at error and answered in `refused` (the queue parks it).
 */
export async function runFollowUps(
  deps: RuntimeDeps,
  appended: readonly RecordedEvent[],
  origin: Identity,
): Promise<FollowUpsRun> {
  let furthest: number | undefined;
  const refused: RefusedFollowUp[] = [];
  for (const event of appended) {
    const current = { ...event, ...upcast(event) } as unknown as StoredEvent;
    const followUps = followUpsOf(current);
    for (const [i, followUp] of followUps.entries()) {
      const handler = commandsByName.get(followUp.command);
      const suffix = `>${event.stream}@${event.revision}#${i}`;
      if (!handler) throw new Error(`follow-up ${followUp.command} has no handler`);
      const commandId = `${origin.commandId}${suffix}`;
      const { reply } = await runCommand(deps, handler, followUp.payload, {
        actor: 'system',
        commandId,
        correlationId: origin.correlationId,
        key: `${origin.key}${suffix}`,
        ...(origin.traceparent === undefined ? {} : { traceparent: origin.traceparent }),
      });
      if (!reply.ok) {
        refused.push({ command: followUp.command, commandId, reply });
        deps.log.error(
          { followUp: followUp.command, commandId, correlationId: origin.correlationId, reply },
          'follow-up rejected',
        );
      } else if (reply.position !== undefined) furthest = Math.max(furthest ?? -1, reply.position);
    }
  }
  return { ...(furthest === undefined ? {} : { furthest }), refused };
}

/** An accepted reply whose position is moved on to the furthest append its follow-ups made. */
function reachingTo(reply: Reply, furthest: number | undefined): Reply {
  if (!reply.ok || furthest === undefined || reply.position === undefined) return reply;
  return { ...reply, position: Math.max(reply.position, furthest) } satisfies AcceptedReply;
}
