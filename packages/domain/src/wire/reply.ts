import { type FailureCode, type FailureName, failures, type SuccessCode } from '../codes/index.ts';
import { type Accepted, type Rejected, reject } from '../kernel/decision.ts';

// The two reply shapes of DOMAIN.md §2, and the only builders of them: the
// worker that sends them, the runtime that decides them and the client that
// reads them share this one module. `code` is a literal union of the
// catalogue, so `switch (reply.code)` is checked.

export interface AcceptedReply {
  readonly ok: true;
  readonly code: SuccessCode;
  readonly result: Readonly<Record<string, string>>;
  /** Where the command appended; absent when it changed nothing (a repeat such as 13201). */
  readonly stream?: string;
  readonly revision?: number;
  /**
   * The global log position of the last append the command caused, its
   * inline follow-ups included: a reader passing it as `min_position` sees
   * every effect of the command. Absent exactly when `stream` is.
   */
  readonly position?: number;
}

export interface RejectedReply {
  readonly ok: false;
  readonly code: FailureCode;
  readonly error: FailureName;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export type Reply = AcceptedReply | RejectedReply;

/** Where an accepted command appended: its own stream and revision, and the furthest position it caused. */
export interface Written {
  readonly stream: string;
  readonly revision: number;
  readonly position: number;
}

export const acceptedReply = (
  decision: Pick<Accepted, 'code' | 'result'>,
  written?: Written,
): AcceptedReply =>
  written
    ? {
        ok: true,
        code: decision.code,
        result: decision.result,
        stream: written.stream,
        revision: written.revision,
        position: written.position,
      }
    : { ok: true, code: decision.code, result: decision.result };

export const rejectedReply = (rejection: Rejected): RejectedReply => ({
  ok: false,
  code: rejection.code,
  error: rejection.name,
  message: rejection.message,
  details: rejection.details,
});

export const rejectWith = (name: FailureName, details: Record<string, unknown> = {}): RejectedReply =>
  rejectedReply(reject(name, details));

/** The only thing a client learns of an unexpected failure: its code and the correlation id to quote. */
export const serverErrorReply = (correlationId: string | undefined): RejectedReply => ({
  ok: false,
  code: failures.ServerError.code,
  error: 'ServerError',
  message: failures.ServerError.message,
  details: correlationId ? { correlation_id: correlationId } : {},
});

/** How much of an echoed string a rejection keeps when the whole would not fit in a message. */
const echoKept = 256;
/** Left for the headers a reply may carry (the services API's error headers) and the protocol line. */
const replyHeadroom = 4096;
/** A NATS server's `max_payload` unless configured otherwise. */
const natsDefaultMaxPayload = 1024 * 1024;

/**
 * A reply as the JSON sent on NATS, within `maxPayload` bytes (the
 * server's `max_payload`, as its INFO told the connection; NATS's default
 * when it has not). A rejection echoes what it refuses (an id, a
 * value, a name): one for a request just under the limit would be over it,
 * the server would refuse to carry it, and the caller would hear nothing
 * until its timeout. Such a rejection keeps its code, message and the names
 * of its details; a string detail keeps its first 256 characters, and if
 * even that is too large only `param` and `reason` stay.
 */
export function replyJson<
  R extends { readonly ok: boolean; readonly details?: Readonly<Record<string, unknown>> },
>(reply: R, maxPayload: number | undefined): string {
  const whole = JSON.stringify(reply);
  const limit = (maxPayload ?? natsDefaultMaxPayload) - replyHeadroom;
  // A UTF-16 unit is at most 3 bytes of UTF-8: the common case needs no count.
  if (whole.length * 3 <= limit || Buffer.byteLength(whole) <= limit || reply.ok || !reply.details)
    return whole;
  const cut = (value: unknown) =>
    typeof value === 'string' && value.length > echoKept ? `${value.slice(0, echoKept)}…` : value;
  const shortened = JSON.stringify({
    ...reply,
    details: Object.fromEntries(Object.entries(reply.details).map(([name, value]) => [name, cut(value)])),
  });
  if (Buffer.byteLength(shortened) <= limit) return shortened;
  const { param, reason } = reply.details;
  return JSON.stringify({ ...reply, details: { param: cut(param), reason: cut(reason) } });
}
