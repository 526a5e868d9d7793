import type { EventStore, RecordedEvent, Subscription } from '@camledger/event-store';
import type { HotStreams, StateCache } from '@camledger/runtime';
import type { Logger } from './logger.ts';

// Several workers share a prefix's commands, so each aggregate is written by
// all of them in turn. A worker's cached state of a stream the others wrote
// since is behind: its append was refused, the stream marked hot, and every
// command on it read the stream first (measured: about 2.5 direct gets per
// add_credits with two workers). While other workers serve the prefix, each
// one therefore follows the log from its end and folds what they append
// into its cache (and the store's remembered tails), so its next append on
// that stream goes through at the right revision with no read. A lone
// worker does not follow: it would only be handed its own appends back.
//
// Following is an optimisation and nothing more: a delivery missed or late
// leaves the entry an exact fold, only behind, and the append's expected
// revision still refuses a decision made on it.

export interface LogFollower {
  stop(): Promise<void>;
}

export interface LogFollowerOptions {
  readonly store: EventStore;
  readonly cache: Pick<StateCache, 'applyFollowed'>;
  /** Told whether hot streams must be read before deciding (not while following). */
  readonly hotStreams: Pick<HotStreams, 'readBeforeDeciding'>;
  /** Whether another worker serves the same prefix now. */
  readonly othersServing: () => Promise<boolean>;
  readonly log: Logger;
  /** How often to ask whether others serve (default 2 s). */
  readonly checkEveryMs?: number;
}

export function startLogFollower(options: LogFollowerOptions): LogFollower {
  const { store, cache, log } = options;
  let subscription: Subscription | undefined;
  let pumping: Promise<void> = Promise.resolve();
  let stopped = false;

  const follow = () => {
    // Its own appends are in its cache already: the store may leave them out.
    const sub = store.subscribeAll({ fromEnd: true, othersOnly: true });
    subscription = sub;
    options.hotStreams.readBeforeDeciding = false;
    pumping = (async () => {
      let append: RecordedEvent[] = [];
      for await (const event of sub) {
        append.push(event);
        if (event.lastInAppend === false) continue;
        cache.applyFollowed(event.stream, append);
        append = [];
      }
    })()
      .catch((e: unknown) =>
        log.warn({ err: e }, 'following the log stopped; the next check starts it again'),
      )
      .finally(() => {
        if (subscription !== sub) return;
        subscription = undefined;
        options.hotStreams.readBeforeDeciding = true;
      });
    log.info('other workers serve this prefix: following the log to keep the state cache current');
  };

  const unfollow = async () => {
    const sub = subscription;
    subscription = undefined;
    options.hotStreams.readBeforeDeciding = true;
    await sub?.close();
    await pumping;
  };

  let checking = false;
  const check = async () => {
    if (checking || stopped) return;
    checking = true;
    try {
      const shared = await options.othersServing().catch(() => subscription !== undefined);
      if (stopped) return;
      if (shared && !subscription) follow();
      else if (!shared && subscription) {
        await unfollow();
        log.info('no other worker serves this prefix: stopped following the log');
      }
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), options.checkEveryMs ?? 2_000);
  timer.unref();
  void check();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await unfollow();
    },
  };
}
