import type { FailureCode, FailureName, SuccessCode } from '@camledger/domain';

// What a command answers, as a discriminated union on `ok`; `code` is a
// literal union of the catalogue, so `switch (outcome.code)` is checked.

export interface AcceptedOutcome {
  readonly ok: true;
  readonly code: SuccessCode;
  readonly result: Readonly<Record<string, string>>;
  readonly stream?: string;
  readonly revision?: number;
}

export interface RejectedOutcome {
  readonly ok: false;
  readonly code: FailureCode;
  readonly error: FailureName;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export type Outcome = AcceptedOutcome | RejectedOutcome;

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
