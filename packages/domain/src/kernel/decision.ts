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

export interface Accepted {
  readonly ok: true;
  readonly code: (typeof successes)[SuccessName]['code'];
  readonly result: ResultIds;
  /** Absent when the command changed nothing (an idempotent repeat such as 13201). */
  readonly write?: Write;
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
