import { type Accepted, type FailureName, failures, type Rejected, reject } from '@camledger/domain';

// The two reply shapes of DOMAIN.md §2. `stream` and `revision` say where an
// accepted command wrote; they are absent when it changed nothing (a repeat
// such as 13201), since there is then no write to point at.

export interface AcceptedReply {
  readonly ok: true;
  readonly code: number;
  readonly result: Readonly<Record<string, string>>;
  readonly stream?: string;
  readonly revision?: number;
}

export interface RejectedReply {
  readonly ok: false;
  readonly code: number;
  readonly error: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export type Reply = AcceptedReply | RejectedReply;

export const acceptedReply = (
  decision: Accepted,
  written?: { stream: string; revision: number },
): AcceptedReply =>
  written
    ? {
        ok: true,
        code: decision.code,
        result: decision.result,
        stream: written.stream,
        revision: written.revision,
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
