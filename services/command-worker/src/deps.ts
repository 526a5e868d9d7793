import type { DomainConfig } from '@camledger/domain';
import type { EventStore, ReplyLog } from '@camledger/event-store';
import type { Logger } from '../logger.ts';
import type { StateCache } from '../state/state-cache.ts';

/** What the pipeline needs from the outside world; the worker wires it, tests may too. */
export interface WorkerDeps {
  readonly prefix: string;
  readonly store: EventStore;
  readonly replies: ReplyLog;
  readonly cache: StateCache;
  readonly domain: DomainConfig;
  readonly log: Logger;
  readonly clock: () => Date;
}
