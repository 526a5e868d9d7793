import type { IdPrefix, UserId } from './ids.ts';

// Everything a decider may know beyond the command and the states it was
// given. The clock and the id source come from outside so deciders stay pure
// and replayable: the worker derives new ids from the command id, so a retry
// after a crash creates the same thing again rather than a second one.
export interface CommandContext {
  readonly now: Date;
  readonly actor: UserId | 'system';
  readonly commandId: string;
  readonly newId: (prefix: IdPrefix, purpose?: string) => string;
  readonly config: DomainConfig;
  /**
   * Where secrets come from (the auth slice's OAuth secrets): a secure random
   * source and the sealing that keeps them encrypted at rest. Handed in like
   * the clock; contexts that never create a secret (replays, audits) leave it out.
   */
  readonly secrets?: SecretSource;
}

export interface SecretSource {
  /** A new secret from a cryptographically secure random source. */
  readonly fresh: () => string;
  /** The secret encrypted for storage: what events, the reply log and the read store hold. */
  readonly seal: (clear: string) => string;
}

export interface DomainConfig {
  /** How long an item stays restorable after it was thrown into the trash. */
  readonly trashRetentionMs: number;
}

export const defaultDomainConfig: DomainConfig = { trashRetentionMs: 30 * 24 * 60 * 60 * 1000 };
