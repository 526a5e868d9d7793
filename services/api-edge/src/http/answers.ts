import { type FailureName, failures, successes } from '@camledger/domain';
import type { Body } from './body.ts';
import { statusOf } from './status.ts';

// From a worker's or query server's reply (or the edge's own refusal) to the
// body and status of DOMAIN.md §6.

export interface Answer {
  readonly status: number;
  readonly body: Body;
  /** The methods a 405 names in `Allow` (RFC 9110 §15.5.6 requires the header). */
  readonly allow?: string;
}

const successMessages = new Map<number, string>(Object.values(successes).map((s) => [s.code, s.message]));

export function refusal(name: FailureName, details: Record<string, unknown> = {}, status?: number): Answer {
  const { code, message } = failures[name];
  return { status: status ?? statusOf(code), body: { code, error: name, message, details } };
}

/** A reply off NATS: `{ok, code, result, position?, stale?}` or `{ok: false, code, error, message, details}`. */
export function fromReply(reply: Record<string, unknown>): Answer {
  const code = typeof reply.code === 'number' ? reply.code : failures.ServerError.code;
  if (reply.ok === true)
    return {
      status: statusOf(code),
      body: {
        code,
        message: successMessages.get(code) ?? 'OK',
        result: reply.result ?? {},
        ...(typeof reply.position === 'number' ? { position: reply.position } : {}),
        ...(reply.stale === true ? { stale: true } : {}),
      },
    };
  return {
    status: statusOf(code),
    body: { code, error: reply.error, message: reply.message, details: reply.details ?? {} },
  };
}
