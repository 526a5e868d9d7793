import type { UserId } from '@camledger/domain';

/** Who sent a command and under which id: everything a retry must reproduce derives from `key`. */
export interface Identity {
  readonly actor: UserId | 'system';
  readonly commandId: string;
  readonly correlationId: string;
  /** commandKey(actor, commandId) for a client's command; the origin's key extended for a follow-up. */
  readonly key: string;
  /**
   * What the client asked, hashed (subject and payload): stamped beside the
   * key so a stream's key index tells a retry from a reuse of the command id
   * (128) without the reply log. Absent for follow-ups.
   */
  readonly fingerprint?: string;
  /**
   * The caller's W3C trace context (already checked by the worker), copied
   * into the metadata of every event the command and its follow-ups append,
   * so a reader of the log can join an event to the trace that caused it.
   */
  readonly traceparent?: string;
}
