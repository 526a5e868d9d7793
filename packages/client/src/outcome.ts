import type { Reply } from '@camledger/domain';

export type { AcceptedReply, RejectedReply } from '@camledger/domain';

/** What a command answers: the wire's reply, as a discriminated union on `ok`. */
export type Outcome = Reply;

/** No worker answered within the timeout, after every retry with the same command id. */
export class CommandTimeoutError extends Error {
  override readonly name = 'CommandTimeoutError';
  constructor(
    readonly command: string,
    readonly commandId: string,
    readonly attempts: number,
    readonly reason: 'timeout' | 'no_responders',
  ) {
    super(`${command} (command_id ${commandId}) got no reply after ${attempts} attempt(s): ${reason}`);
  }
}
