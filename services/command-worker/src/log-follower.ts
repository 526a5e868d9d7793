import type { EventStore, Following } from '@camledger/event-store';
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
  let following: Following | undefined;
  let stopped = false;

  const follow = () => {
    // Its own appends are in its cache already: the store may leave them out.
    // Each append is folded as the store hands it over, before the command
    // that may come right behind it on the same connection is decided.
    const current = store.followAppends(
      (events) => {
        if (events[0]) cache.applyFollowed(events[0].stream, events);
      },
      { othersOnly: true },
    );
    following = current;
    options.hotStreams.readBeforeDeciding = false;
    void current.ended.then((why) => {
      log.warn({ err: why }, 'following the log stopped; the next check starts it again');
      if (following !== current) return;
      following = undefined;
      options.hotStreams.readBeforeDeciding = true;
    });
    log.info('other workers serve this prefix: following the log to keep the state cache current');
  };

  const unfollow = async () => {
    const current = following;
    following = undefined;
    options.hotStreams.readBeforeDeciding = true;
    await current?.close();
  };

  let checking = false;
  const check = async () => {
    if (checking || stopped) return;
    checking = true;
    try {
      const shared = await options.othersServing().catch(() => following !== undefined);
      if (stopped) return;
      if (shared && !following) follow();
      else if (!shared && following) {
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
