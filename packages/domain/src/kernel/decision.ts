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
 * A claim on a name (an id) that lives in a stream of its own, written
 * create-only (the stream must not exist) BEFORE the decision's write. Used
 * where the thing created lives inside another aggregate's stream (a folder
 * in its owner's tree), so that the name is unique across aggregates: two
 * creations of one id race on the claim stream, and only one creates it. A
 * claim that is found taken makes the runtime load and decide again, and
 * the decision then sees whose it is (docs/architecture.md, "Claims").
 */
export interface Reservation {
  readonly stream: string;
  readonly events: readonly DomainEvent[];
  /**
   * The claimed id was derived from this command's key, so nobody else can
   * hold it and the decider need not load it first. It is still written
   * before the write, as every claim is: the write then never exists
   * without its claim. Found existing, it is this command's own from an
   * earlier attempt that died before its write (the runtime checks the
   * claim's event id) and is used as it is. Without it, a claim found
   * existing is a conflict, decided again on whose it is.
   */
  readonly derived?: true;
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
  if (!decision.write) throw new Error('a reservation goes with a write');
  return {
    ...decision,
    reservations: [...(decision.reservations ?? []), { stream: claimed.stream, events }],
  };
}

/**
 * The accepted decision, made to claim an id derived from this command's key
 * (unique by construction) before its write, without loading the claim:
 * `stream` is not read first, and finding it created by an earlier attempt
 * of this command is not a conflict.
 */
export function reservingDerived(
  decision: Accepted,
  stream: string,
  events: readonly DomainEvent[],
): Accepted {
  if (!decision.write) throw new Error('a reservation goes with a write');
  return {
    ...decision,
    reservations: [...(decision.reservations ?? []), { stream, events, derived: true }],
  };
}
