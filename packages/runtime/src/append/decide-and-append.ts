import {
  type AnyCommandHandler,
  type CommandContext,
  type Decision,
  schemaVersionOf,
} from '@camledger/domain';
import {
  type EventToAppend,
  PayloadTooLarge,
  type RecordedEvent,
  WrongExpectedRevision,
} from '@camledger/event-store';
import { deterministicUuid } from '../hashing.ts';
import { AttemptReader } from '../state/state-cache.ts';
import { acceptedReply, type Reply, rejectedReply, rejectWith } from '../wire/replies.ts';
import type { WorkerDeps } from './deps.ts';
import { HotStreams } from './hot-streams.ts';
import { KeyedMutex } from './keyed-mutex.ts';

export interface Attempted {
  readonly reply: Reply;
  /** The events this command appended (empty when it appended nothing); their follow-ups are still to run. */
  readonly appended: readonly RecordedEvent[];
}

const maxAttempts = 25;
const conflictLocks = new KeyedMutex();
const hotStreams = new HotStreams();

/**
 * load -> decide -> append, again on a version conflict. Commands on a
 * stream that saw a conflict lately ("hot") take turns inside this worker,
 * from their first append on: a burst on one aggregate then settles one by
 * one instead of colliding over and over. Everything else runs side by side,
 * and other workers are kept honest by the expected revision alone.
 */
export async function decideAndAppend(
  deps: WorkerDeps,
  handler: AnyCommandHandler,
  payload: unknown,
  context: () => CommandContext,
  identity: { readonly key: string; readonly correlationId: string },
): Promise<Attempted> {
  let turnOn: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const locked = turnOn;
    const run = () => attemptOnce(deps, handler, payload, context(), identity, locked === undefined);
    const outcome = locked ? await conflictLocks.run(locked, run) : await run();
    if (outcome.kind === 'done') return outcome;
    turnOn = outcome.stream;
    if (outcome.kind === 'hot') continue;
    hotStreams.mark(outcome.stream);
    deps.cache.invalidate(outcome.stream);
    if (attempt >= maxAttempts) throw new Error(`gave up on ${outcome.stream} after ${attempt} conflicts`);
    await sleep(Math.random() * Math.min(50, 2 * attempt));
  }
}

type Outcome =
  | ({ kind: 'done' } & Attempted)
  | { kind: 'conflict'; stream: string }
  | { kind: 'hot'; stream: string };

async function attemptOnce(
  deps: WorkerDeps,
  handler: AnyCommandHandler,
  payload: unknown,
  ctx: CommandContext,
  identity: { readonly key: string; readonly correlationId: string },
  /** Unlocked attempts step aside for a hot stream, to retry in turn. */
  yieldToHot: boolean,
): Promise<Outcome> {
  const reader = new AttemptReader(deps.cache);
  const loaded = await handler.load(payload, ctx, reader);

  // Our own effect is already in a stream we read: an earlier attempt of this
  // very command appended and then lost its reply (a crash, a timeout). Answer
  // as then, and hand back that append's events so its follow-ups run again
  // (they are idempotent): the crash may have come before they ran.
  const earlier = reader.earlierReply(identity.key);
  if (earlier) {
    const { stream, reply } = earlier;
    return {
      kind: 'done',
      appended: await eventsOfEarlierAppend(deps, stream, reply.revision, ctx),
      reply: { ok: true, code: reply.code, result: reply.result, stream, revision: reply.revision },
    };
  }

  const decision: Decision = handler.decide(payload, loaded, ctx);
  if (!decision.ok) return { kind: 'done', reply: rejectedReply(decision), appended: [] };
  const write = decision.write;
  if (!write || write.events.length === 0)
    return { kind: 'done', reply: acceptedReply(decision), appended: [] };
  if (yieldToHot && hotStreams.isHot(write.stream)) return { kind: 'hot', stream: write.stream };

  const last = write.events.length - 1;
  const events: EventToAppend[] = write.events.map((event, i) => ({
    id: deterministicUuid(identity.key, write.stream, String(i)),
    type: event.type,
    data: event.data,
    metadata: {
      commandId: ctx.commandId,
      correlationId: identity.correlationId,
      actor: ctx.actor,
      occurredAt: ctx.now.toISOString(),
      schemaVersion: schemaVersionOf(event.type),
      // The last event of an append carries the reply, so a retry that finds
      // the append answers exactly as the first time (see StateCache).
      ...(i === last
        ? { commandKey: identity.key, reply: { code: decision.code, result: decision.result } }
        : {}),
    },
  }));
  try {
    const expectedRevision = write.expectedRevision < 0 ? 'no_stream' : write.expectedRevision;
    const appended = await deps.store.append(write.stream, events, { expectedRevision });
    const recorded = events.map(
      (e, i): RecordedEvent => ({
        ...e,
        stream: write.stream,
        revision: appended.revision - last + i,
        position: appended.position,
      }),
    );
    deps.cache.applyAppended(write.stream, recorded);
    return {
      kind: 'done',
      reply: acceptedReply(decision, { stream: write.stream, revision: appended.revision }),
      appended: recorded,
    };
  } catch (error) {
    if (error instanceof WrongExpectedRevision) return { kind: 'conflict', stream: write.stream };
    if (error instanceof PayloadTooLarge)
      return {
        kind: 'done',
        appended: [],
        reply: rejectWith('StringTooLong', {
          param: 'payload',
          reason: `too large to store (${error.bytes} bytes)`,
        }),
      };
    throw error;
  }
}

/** The events one command appended to a stream, ending at `lastRevision` (an append holds few events). */
async function eventsOfEarlierAppend(
  deps: WorkerDeps,
  stream: string,
  lastRevision: number,
  ctx: CommandContext,
): Promise<RecordedEvent[]> {
  const window = await deps.store.readStream(stream, { fromRevision: Math.max(0, lastRevision - 63) });
  return window.filter(
    (e) =>
      e.revision <= lastRevision && e.metadata.commandId === ctx.commandId && e.metadata.actor === ctx.actor,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
