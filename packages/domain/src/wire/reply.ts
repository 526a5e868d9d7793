import type { FailureCode, FailureName, SuccessCode } from '../codes/index.ts';

// The two reply shapes of DOMAIN.md §2, shared by the worker that sends them
// and the client that reads them. `code` is a literal union of the
// catalogue, so `switch (reply.code)` is checked.

export interface AcceptedReply {
  readonly ok: true;
  readonly code: SuccessCode;
  readonly result: Readonly<Record<string, string>>;
  /** Where the command appended; absent when it changed nothing (a repeat such as 13201). */
  readonly stream?: string;
  readonly revision?: number;
}

export interface RejectedReply {
  readonly ok: false;
  readonly code: FailureCode;
  readonly error: FailureName;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export type Reply = AcceptedReply | RejectedReply;
