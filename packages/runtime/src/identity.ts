import type { UserId } from '@camledger/domain';

/** Who sent a command and under which id: everything a retry must reproduce derives from `key`. */
export interface Identity {
  readonly actor: UserId | 'system';
  readonly commandId: string;
  readonly correlationId: string;
  /** commandKey(actor, commandId) for a client's command; the origin's key extended for a follow-up. */
  readonly key: string;
}
