import type { DomainConfig, IdPrefix, Reply, SecretSource } from '@camledger/domain';
import { defaultDomainConfig } from '@camledger/domain';
import type { AppendResult, EventStore, ReplyLog } from '@camledger/event-store';
import { HotStreams } from './append/hot-streams.ts';
import { KeyedMutex } from './append/keyed-mutex.ts';
import { FollowedUp } from './followed-up.ts';
import { deterministicId } from './keys.ts';
import {
  keysPerStreamWhereStoreRemembers,
  StateCache,
  type StateCacheOptions,
  storeRemembersKeys,
} from './state/state-cache.ts';

/** The little the runtime says about itself: a rejected follow-up, a failure worth an operator's eye. */
export interface RuntimeLog {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * Places where a test may make the runtime fail as a crash would, without a
 * copy of the command path: each hook runs at its point and a throw there
 * ends the command as a killed process would (the store keeps what was
 * appended, nothing after the hook happens).
 */
export interface Faults {
  /** Before each append to the store; a throw here is the store refusing the write (a passing failure). */
  readonly beforeAppend?: (stream: string) => void | Promise<void>;
  /** After an append succeeded, before the cache learns of it and anything else runs. */
  readonly afterAppend?: (stream: string, result: AppendResult) => void | Promise<void>;
  /** After the command and its follow-ups ran, before the reply log stores the reply. */
  readonly beforeRememberReply?: (key: string, reply: Reply) => void | Promise<void>;
}

/**
 * Everything the command path needs from outside, per process: the worker
 * wires one for its lifetime, a test one per scenario. Per-process state (the
 * state cache, hot streams and the turns taken on them) lives here, never in
 * module scope, so two runtimes in one process behave as two workers.
 */
export interface RuntimeDeps {
  readonly store: EventStore;
  readonly replies: ReplyLog;
  readonly cache: StateCache;
  readonly domain: DomainConfig;
  readonly log: RuntimeLog;
  readonly clock: () => Date;
  readonly hotStreams: HotStreams;
  readonly turns: KeyedMutex;
  /** Appends whose follow-ups ran inline here, so the durable queue's second run may be skipped. */
  readonly followedUp: FollowedUp;
  /**
   * The id source of one attempt of the command with this key, asked afresh
   * for every attempt so all attempts (and retries) name what they create the
   * same way. Derived from the key by default; tests may count instead.
   */
  readonly newIds: (key: string, creator: string) => (prefix: IdPrefix) => string;
  /** Where new secrets come from; the process's (CAMLEDGER_SECRETS_KEY) when absent. */
  readonly secrets?: SecretSource;
  readonly faults?: Faults;
}

export interface RuntimeOptions {
  readonly store: EventStore;
  readonly replies: ReplyLog;
  readonly domain?: DomainConfig;
  readonly log?: RuntimeLog;
  readonly clock?: () => Date;
  readonly cache?: Omit<StateCacheOptions, 'clock'>;
  readonly newIds?: RuntimeDeps['newIds'];
  readonly secrets?: SecretSource;
  readonly faults?: Faults;
}

const silent: RuntimeLog = { error: () => {}, warn: () => {} };

/**
 * Ids derived from (key, prefix, n), n counting the ids this attempt asked
 * for: a retry after a crash creates the same folder, not a second one.
 * Each carries the tag of `creator`, the actor of the command.
 */
export function derivedIds(key: string, creator: string): (prefix: IdPrefix) => string {
  let n = 0;
  return (prefix) => deterministicId(prefix, key, n++, creator);
}

export function createRuntimeDeps(options: RuntimeOptions): RuntimeDeps {
  const clock = options.clock ?? (() => new Date());
  return {
    store: options.store,
    replies: options.replies,
    cache: new StateCache(options.store, {
      // Where the store refuses a key used again, the index need not hold every key of 7 days.
      ...(storeRemembersKeys(options.store) ? { maxKeysPerStream: keysPerStreamWhereStoreRemembers } : {}),
      ...options.cache,
      clock: () => clock().getTime(),
    }),
    domain: options.domain ?? defaultDomainConfig,
    log: options.log ?? silent,
    clock,
    hotStreams: new HotStreams(),
    turns: new KeyedMutex(),
    followedUp: new FollowedUp(),
    newIds: options.newIds ?? derivedIds,
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
  };
}
