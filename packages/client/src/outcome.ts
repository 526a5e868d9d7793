import type { Reply } from '@camledger/domain';
import type { NoAnswer } from './ask.ts';

export type { AcceptedReply, RejectedReply } from '@camledger/domain';

/** What a command answers: the wire's reply, as a discriminated union on `ok`. */
export type Outcome = Reply;

/**
 * No worker answered, after every retry with the same command id. Unless
 * `reason` is `no_responders` the command may have run: send it again with
 * `commandId` and the first reply comes back, the effect once.
 */
export class CommandTimeoutError extends Error {
  override readonly name = 'CommandTimeoutError';
  constructor(
    readonly command: string,
    readonly commandId: string,
    readonly attempts: number,
    readonly reason: NoAnswer,
  ) {
    super(
      `${command} (command_id ${commandId}) got no reply after ${attempts} attempt(s): ${reason}${
        reason === 'no_responders' ? '' : `; it may have run: retry with command_id ${commandId}`
      }`,
    );
  }
}

/**
 * The request is larger than the NATS server's max_payload, so it was never
 * sent (nothing ran). `commandId` is set for a command.
 */
export class RequestTooLargeError extends Error {
  override readonly name = 'RequestTooLargeError';
  constructor(
    readonly subject: string,
    readonly commandId: string | undefined,
    readonly bytes: number,
    readonly maxPayload: number,
  ) {
    super(
      `${subject}: the request is ${bytes} bytes, over the server's max_payload of ${maxPayload}; not sent`,
    );
  }
}

/**
 * The answer on a command's or query's subject is not a camledger reply (not
 * JSON, or no boolean `ok` and numeric `code`): something else answers there.
 * Not retried: a command may have been applied. `commandId` lets the caller
 * retry it safely once the subject is served again.
 */
export class ReplyFormatError extends Error {
  override readonly name = 'ReplyFormatError';
  constructor(
    readonly subject: string,
    readonly commandId: string | undefined,
    readonly raw: string,
  ) {
    super(
      `${subject}${commandId ? ` (command_id ${commandId})` : ''} was answered with something that is not a camledger reply: ${raw.slice(0, 200)}`,
    );
  }
}

/** `raw` as a reply of the wire contract, or a ReplyFormatError naming what was asked. */
export function replyOf<R>(raw: string, subject: string, commandId?: string): R {
  let reply: unknown;
  try {
    reply = JSON.parse(raw);
  } catch {
    throw new ReplyFormatError(subject, commandId, raw);
  }
  const shaped = reply as { ok?: unknown; code?: unknown } | null;
  if (
    typeof shaped !== 'object' ||
    shaped === null ||
    typeof shaped.ok !== 'boolean' ||
    typeof shaped.code !== 'number'
  )
    throw new ReplyFormatError(subject, commandId, raw);
  return reply as R;
}
