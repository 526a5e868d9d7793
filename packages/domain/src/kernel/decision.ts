import { type FailureName, failures, type SuccessName, successes } from '../codes/index.ts';
import type { Loaded } from './aggregate.ts';
import type { DomainEvent } from './events.ts';

export type Details = Readonly<Record<string, unknown>>;
export type ResultIds = Readonly<Record<string, string>>;

export interface Rejected<N extends FailureName = FailureName> {
  readonly ok: false;
  readonly code: (typeof failures)[N]['code'];
  readonly name: N;
  readonly message: string;
  readonly details: Details;
}

/** What the accepted command appends: to exactly one stream, at the revision it was decided on. */
export interface Write {
  readonly stream: string;
  readonly expectedRevision: number;
  readonly events: readonly DomainEvent[];
}

/**
 * An append to another stream, written BEFORE the decision's write at the
 * revision that stream was loaded at: a claim on an id (create-only, so two
 * creations of one id race and only one creates it), or the registration of
 * the actor's creator tag. If it is refused (the stream moved on), the
 * runtime loads and decides again, and the decision then sees why
 * (docs/architecture.md, "Claims").
 */
export interface Reservation {
  readonly stream: string;
  readonly events: readonly DomainEvent[];
  /** The revision `stream` was loaded at; -1: it must not exist yet. */
  readonly expectedRevision: number;
}

export interface Accepted {
  readonly ok: true;
  readonly code: (typeof successes)[SuccessName]['code'];
  readonly result: ResultIds;
  /** Absent when the command changed nothing (an idempotent repeat such as 13201). */
  readonly write?: Write;
  /** Claims written create-only before `write`; only with a write. */
  readonly reservations?: readonly Reservation[];
}

export type Decision = Accepted | Rejected;

export function reject<N extends FailureName>(name: N, details: Details = {}): Rejected<N> {
  const { code, message } = failures[name];
  return { ok: false, code, name, message, details };
}

/**
 * The id a command derives from its command id names something that this
 * command did not create: the command id was used before, past the 7 days a
 * reuse is recognised (§2), or two command ids met on one id. Answering as
 * if it were a repeat would hand over what another command created (a
 * token's secret, a thread with someone else), so it is 128, as a reuse
 * within the 7 days is, and a new command id creates afresh.
 */
export const derivedIdTaken = (commandId: string): Rejected<'MissingParameter'> =>
  reject('MissingParameter', {
    param: 'command_id',
    command_id: commandId,
    reason:
      'the id this command_id makes already names something another command created: send a new command_id',
  });

/** Accept by appending `events` to the stream `into` was loaded from, at the revision it had. */
export function accept(
  success: SuccessName,
  into: Loaded<unknown>,
  events: readonly DomainEvent[],
  result: ResultIds = {},
): Accepted {
  return {
    ok: true,
    code: successes[success].code,
    result,
    write: { stream: into.stream, expectedRevision: into.revision, events },
  };
}

/** Accept without writing anything. */
export function acceptUnchanged(success: SuccessName, result: ResultIds = {}): Accepted {
  return { ok: true, code: successes[success].code, result };
}

/**
 * The accepted decision, made to claim `events` in the stream `claimed` was
 * loaded from first. That stream must not exist yet (revision -1): a claim
 * that exists already is the decider's to judge (its own, or someone else's).
 */
export function reserving(
  decision: Accepted,
  claimed: Loaded<unknown>,
  events: readonly DomainEvent[],
): Accepted {
  if (claimed.revision !== -1) throw new Error(`${claimed.stream} exists already: nothing to reserve`);
  return writingFirst(decision, claimed, events);
}

/**
 * The accepted decision, made to append `events` to the stream `loaded` came
 * from, at the revision it was loaded at, before the decision's own write.
 */
export function writingFirst(
  decision: Accepted,
  loaded: Loaded<unknown>,
  events: readonly DomainEvent[],
): Accepted {
  if (!decision.write) throw new Error('a reservation goes with a write');
  return {
    ...decision,
    reservations: [
      ...(decision.reservations ?? []),
      { stream: loaded.stream, events, expectedRevision: loaded.revision },
    ],
  };
}
