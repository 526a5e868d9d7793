import {
  type AcceptedReply,
  type AnyCommandHandler,
  acceptedReply,
  type CommandContext,
  type Decision,
  type Reply,
  type Reservation,
  rejectedReply,
  rejectWith,
  schemaVersionOf,
} from '@camledger/domain';
import {
  type AppendResult,
  type EventToAppend,
  type ExpectedRevision,
  KeyAlreadyUsed,
  PayloadTooLarge,
  type RecordedEvent,
  WrongExpectedRevision,
} from '@camledger/event-store';
import type { RuntimeDeps } from '../deps.ts';
import type { Identity } from '../identity.ts';
import { contentDigest, deterministicUuid } from '../keys.ts';
import { logPosition } from '../log-position.ts';
import { AttemptReader } from '../state/attempt-reader.ts';
import { firstReply, firstReplyOn } from './first-reply.ts';

export interface Attempted {
  readonly reply: Reply;
  /** The decision made now; absent when the command was recognised as done before (its reply came from its append). */
  readonly decision?: Decision;
  /** The events this command appended, or found it had appended; their follow-ups are still to run. */
  readonly appended: readonly RecordedEvent[];
  /** The key was found on an append asked for something else: a reuse (128), not to be remembered as this key's reply. */
  readonly reused?: true;
}

const maxAttempts = 25;

/**
 * load -> (own earlier effect?) -> decide -> append, again on a version
 * conflict. Commands on a stream that saw a conflict lately ("hot") take
 * turns inside this process, from their first append on: a burst on one
 * aggregate then settles one by one instead of colliding over and over.
 * Everything else runs side by side, and other processes are kept honest by
 * the expected revision alone.
 */
export async function decideAndAppend(
  deps: RuntimeDeps,
  handler: AnyCommandHandler,
  payload: unknown,
  context: () => CommandContext,
  identity: Identity,
): Promise<Attempted> {
  let turnOn: string | undefined;
  let refresh = false;
  for (let attempt = 1; ; attempt++) {
    const locked = turnOn;
    const reader = new AttemptReader(deps.cache, refresh, (stream) => deps.hotStreams.needsRead(stream));
    const run = () => attemptOnce(deps, handler, payload, context(), identity, reader, locked === undefined);
    const outcome = locked ? await deps.turns.run(locked, run) : await run();
    if (outcome.kind === 'stale') {
      refresh = true;
      continue;
    }
    if (outcome.kind === 'done') {
      // Only the store's answers are checked (an append's expected revision,
      // a key's earlier append). Any other answer decided on a state from
      // memory is decided again on fresh states first, so a retry never gets
      // a stale rejection.
      if (outcome.checkedByStore || !reader.readUnverified) return outcome;
      // A follow-up found already applied is the exception: what it ensures
      // never goes back (a claim, an opened account, a written snapshot, a
      // link), and memory can be behind the store but never ahead of it.
      if (handler.followUpOnly && outcome.reply.ok) return outcome;
      refresh = true;
      continue;
    }
    turnOn = outcome.stream;
    if (outcome.kind === 'hot') continue;
    deps.hotStreams.mark(outcome.stream);
    // The cached entry is an exact fold up to its revision, only behind:
    // reading what came after it is enough (dropping it would re-read the
    // whole stream, thousands of messages for a busy account).
    refresh = true;
    if (attempt >= maxAttempts) throw new Error(`gave up on ${outcome.stream} after ${attempt} conflicts`);
    await sleep(Math.random() * Math.min(50, 2 * attempt));
  }
}

type Outcome =
  | ({ kind: 'done'; checkedByStore: boolean } & Attempted)
  | { kind: 'conflict'; stream: string }
  | { kind: 'hot'; stream: string }
  /** An acceptance decided on a state other than the written one that memory answered unverified. */
  | { kind: 'stale' };

async function attemptOnce(
  deps: RuntimeDeps,
  handler: AnyCommandHandler,
  payload: unknown,
  ctx: CommandContext,
  identity: Identity,
  reader: AttemptReader,
  /** Unlocked attempts step aside for a hot stream, to retry in turn. */
  yieldToHot: boolean,
): Promise<Outcome> {
  const loaded = await handler.load(payload, ctx, reader);

  // The stream key index: our own effect is already in a stream we read. An
  // earlier attempt of this very command appended and then lost its reply (a
  // crash, a timeout). Answer as then, and hand back that append's events so
  // its follow-ups run again (they are idempotent): the crash may have come
  // before they ran.
  const earlier = reader.earlierReply(identity.key);
  if (earlier)
    return answeredBefore(firstReply(earlier.stream, earlier.reply, identity), false, () =>
      eventsOfEarlierAppend(deps, earlier.stream, earlier.reply, ctx),
    );

  const decision: Decision = handler.decide(payload, loaded, ctx);
  if (!decision.ok)
    return { kind: 'done', checkedByStore: false, reply: rejectedReply(decision), decision, appended: [] };
  const write = decision.write;
  if (!write || write.events.length === 0)
    return { kind: 'done', checkedByStore: false, reply: acceptedReply(decision), decision, appended: [] };
  if (yieldToHot && deps.hotStreams.isHot(write.stream)) return { kind: 'hot', stream: write.stream };
  // Memory is trusted for the written stream only: its expected revision
  // refuses a stale append. Anything else the decision relied on is read
  // afresh and the command decided again first.
  if (reader.readUnverifiedBesides(write.stream)) return { kind: 'stale' };

  // Claims (and tag registrations) first, each at the revision its stream
  // was loaded at, so a write never exists without them: one refused is a
  // conflict like any other, and the next attempt decides on whose it is.
  const reserved: RecordedEvent[] = [];
  for (const reservation of decision.reservations ?? []) {
    const claimed = await reserve(deps, reservation, write.stream, ctx, identity);
    if (claimed) reserved.push(...claimed);
    else return { kind: 'conflict', stream: reservation.stream };
  }

  const last = write.events.length - 1;
  const written = write.events.map((event, i) => ({
    type: event.type,
    data: event.data,
    metadata: {
      commandId: ctx.commandId,
      correlationId: identity.correlationId,
      actor: ctx.actor,
      occurredAt: ctx.now.toISOString(),
      schemaVersion: schemaVersionOf(event.type),
      // The last event of an append carries the command key and the reply:
      // the state cache indexes them, so a retry that reads this stream
      // answers exactly as the first time (see StateCache).
      ...(i === last
        ? {
            commandKey: identity.key,
            ...(identity.fingerprint ? { commandFingerprint: identity.fingerprint } : {}),
            reply: { code: decision.code, result: decision.result },
          }
        : {}),
    },
  }));
  // The ids name this very decision, not only the command: the store takes
  // an append with the ids it already holds for a repeat of that append, so
  // two decisions under one key (a retry decided on a newer state, a reused
  // command id with another payload) must never share them. The one that
  // finds the key taken then answers from the stored append (its first
  // reply, or 128), not from its own decision.
  const decided = contentDigest(identity.key, write.stream, written);
  const events: EventToAppend[] = written.map((event, i) => ({
    id: deterministicUuid(decided, String(i)),
    ...event,
    metadata: traced(event.metadata, identity),
  }));
  try {
    const { appended, recorded } = await appendAndRemember(
      deps,
      write.stream,
      events,
      expectedAt(write.expectedRevision),
      identity.key,
    );
    // The write comes after its claims, so its position covers them.
    const reply: AcceptedReply = acceptedReply(decision, {
      stream: write.stream,
      revision: appended.revision,
      position: logPosition(appended.position),
    });
    return { kind: 'done', checkedByStore: true, reply, decision, appended: [...reserved, ...recorded] };
  } catch (error) {
    if (error instanceof WrongExpectedRevision) {
      forgetIfAhead(deps, error);
      return { kind: 'conflict', stream: write.stream };
    }
    // The key is on another append (another stream, or the command decided differently before).
    if (error instanceof KeyAlreadyUsed)
      return answeredBefore(firstReplyOn(error.earlier, identity), true, async () => error.earlier);
    if (error instanceof PayloadTooLarge)
      return {
        kind: 'done',
        checkedByStore: false,
        decision,
        appended: [],
        reply: rejectWith('StringTooLong', {
          param: 'payload',
          reason: `too large to store (${error.bytes} bytes)`,
        }),
      };
    throw error;
  }
}

/**
 * Writes one claim at its expected revision. Its events carry no command
 * key or reply: a claim is not the command's effect, so a retry that reads
 * the claim stream must not take it for one and answer without writing.
 * Answers the recorded claim, or undefined when the stream has moved on
 * (someone's claim, possibly this command's own from an attempt that died
 * before its write: the decider tells which on the next attempt).
 */
async function reserve(
  deps: RuntimeDeps,
  reservation: Reservation,
  forStream: string,
  ctx: CommandContext,
  identity: Identity,
): Promise<RecordedEvent[] | undefined> {
  const events: EventToAppend[] = reservation.events.map((event, i) => ({
    id: claimEventId(identity, reservation.stream, i),
    type: event.type,
    data: event.data,
    metadata: traced(
      {
        commandId: ctx.commandId,
        correlationId: identity.correlationId,
        actor: ctx.actor,
        occurredAt: ctx.now.toISOString(),
        schemaVersion: schemaVersionOf(event.type),
        reservedFor: forStream,
      },
      identity,
    ),
  }));
  try {
    return (
      await appendAndRemember(deps, reservation.stream, events, expectedAt(reservation.expectedRevision))
    ).recorded;
  } catch (error) {
    if (error instanceof WrongExpectedRevision) {
      forgetIfAhead(deps, error);
      return undefined;
    }
    throw error;
  }
}

/**
 * The store holds less of the stream than memory does: appends it
 * acknowledged and then lost (an embedded server without fsync on a power
 * cut, a stream restored from a backup). Reading what came after memory's
 * revision can never catch up, and every attempt would be refused again
 * until the process restarted; the stream is dropped from memory and the
 * next attempt reads it whole.
 */
function forgetIfAhead(deps: RuntimeDeps, refused: WrongExpectedRevision): void {
  if (typeof refused.expected === 'number' && refused.actual < refused.expected)
    deps.cache.invalidate(refused.stream);
}

/**
 * The metadata with the caller's trace context, when there is one. Added
 * after the decision's digest: it says which trace asked, not what was
 * decided, so a retry from another span is still the same decision.
 */
const traced = <M extends Record<string, unknown>>(metadata: M, identity: Identity): M =>
  identity.traceparent === undefined ? metadata : { ...metadata, traceparent: identity.traceparent };

/** A loaded revision as the store's expected revision: -1, the stream not written yet, is "no stream". */
const expectedAt = (revision: number): ExpectedRevision => (revision < 0 ? 'no_stream' : revision);

const claimEventId = (identity: Identity, stream: string, i: number) =>
  deterministicUuid(identity.key, stream, 'claim', String(i));

/**
 * One append through the store (with the test fault hooks around it), its
 * events as the store recorded them, and the cache told at once, so the
 * next command on the stream needs no read to see them.
 */
async function appendAndRemember(
  deps: RuntimeDeps,
  stream: string,
  events: readonly EventToAppend[],
  expectedRevision: ExpectedRevision,
  /** The command's own write is keyed; claims are not (they are not its effect). */
  key?: string,
): Promise<{ appended: AppendResult; recorded: RecordedEvent[] }> {
  await deps.faults?.beforeAppend?.(stream);
  const appended = await deps.store.append(stream, events, {
    expectedRevision,
    ...(key === undefined ? {} : { key }),
  });
  await deps.faults?.afterAppend?.(stream, appended);
  const last = events.length - 1;
  const recorded = events.map(
    (e, i): RecordedEvent => ({
      ...e,
      stream,
      revision: appended.revision - last + i,
      position: appended.position,
    }),
  );
  deps.cache.applyAppended(stream, recorded);
  return { appended, recorded };
}

/**
 * The command's key is found on an earlier append: its first reply again
 * (and that append's events, whose follow-ups run again: they are
 * idempotent), or 128 when the key was asked for something else.
 */
async function answeredBefore(
  { reply, reused }: { reply: Reply; reused?: true },
  checkedByStore: boolean,
  events: () => Promise<readonly RecordedEvent[]>,
): Promise<Outcome> {
  if (reused) return { kind: 'done', checkedByStore, appended: [], reused, reply };
  return { kind: 'done', checkedByStore, appended: [...(await events())], reply };
}

/**
 * The events of one earlier append to a stream, ending at its last event's
 * revision (an append holds few events): this command's, at the position
 * they share. The command id alone would also match an append of the same
 * actor and id made before the key's 7 days.
 */
async function eventsOfEarlierAppend(
  deps: RuntimeDeps,
  stream: string,
  last: { readonly revision: number; readonly position: number },
  ctx: CommandContext,
): Promise<RecordedEvent[]> {
  const window = await deps.store.readStream(stream, { fromRevision: Math.max(0, last.revision - 63) });
  return window.filter(
    (e) =>
      e.revision <= last.revision &&
      e.position === last.position &&
      e.metadata.commandId === ctx.commandId &&
      e.metadata.actor === ctx.actor,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
