import {
  type Accepted,
  type AcceptedReply,
  type FailureName,
  failures,
  type Rejected,
  type RejectedReply,
  reject,
} from '@camledger/domain';

export type { AcceptedReply, RejectedReply, Reply } from '@camledger/domain';

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
