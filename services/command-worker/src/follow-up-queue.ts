import type { ParkedWork, RecordedEvent, WorkItem, WorkQueue } from '@camledger/event-store';
import { originOf, runFollowUps } from '@camledger/runtime';
import { backoff as defaultBackoff } from './backoff.ts';
import type { WorkerDeps } from './deps.ts';

/**
 * The durable side of follow-ups. The worker runs an append's follow-ups
 * inline, before it replies; every worker of the prefix also takes its share
 * of ONE durable work queue of the appends that ask for follow-ups, and runs
 * them again from there (idempotent, so a run after the inline one adds
 * nothing). That run is what survives a worker killed after its append, a
 * client that never retries, and a store that refused a follow-up's write.
 *
 * Each item (one append) ends one way:
 * - applied (or found applied): ack;
 * - thrown (store, network: a passing failure): retried later with an
 *   exponential, jittered, capped backoff, by any worker, across restarts;
 *   the queue parks it once its attempts are used up;
 * - a follow-up the domain rejects: parked at once (running it again would
 *   be refused again), with a log line at error.
 * Many items are in flight at once, so one that fails or waits holds up no
 * other command's follow-ups.
 */
export interface FollowUpQueueOptions {
  /** Items this worker runs at once. Default 32. */
  readonly concurrency?: number;
  /** The queue's `maxAttempts`, to log the last failure at error (the queue parks it). Default 10. */
  readonly maxAttempts?: number;
  /** Delay before attempt `attempt + 1`, after `attempt` failed. */
  readonly backoff?: (attempt: number) => number;
  /** Pause before taking items again after the queue's delivery failed (NATS away). Default 1 s. */
  readonly resumeAfterMs?: number;
}

export interface RunningFollowUpQueue {
  /** Stops taking items and waits for those in flight to be settled. */
  stop(): Promise<void>;
}

export function startFollowUpQueue(
  deps: WorkerDeps,
  queue: WorkQueue,
  options: FollowUpQueueOptions = {},
): RunningFollowUpQueue {
  const concurrency = options.concurrency ?? 32;
  const settle = settlerFor(deps, options.maxAttempts ?? 10, options.backoff ?? defaultBackoff);
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let consumer: ReturnType<WorkQueue['consume']> | undefined;

  const take = async () => {
    consumer = queue.consume();
    for await (const item of consumer) {
      const running: Promise<void> = settle(item).finally(() => inFlight.delete(running));
      inFlight.add(running);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
  };

  // Takes items again whenever delivery ends without being asked to (a
  // lost connection): the queue is durable, nothing is skipped meanwhile.
  const loop = (async () => {
    while (!stopping) {
      try {
        await take();
      } catch (error) {
        if (!stopping) deps.log.warn({ err: error }, 'follow-up queue: delivery failed, taking items again');
      }
      if (!stopping) await new Promise((resume) => setTimeout(resume, options.resumeAfterMs ?? 1_000));
    }
  })();

  return {
    async stop() {
      stopping = true;
      await consumer?.close();
      await loop;
      await Promise.allSettled(inFlight);
    },
  };
}

/** How a log line names an item's events. */
const named = (events: readonly RecordedEvent[]) => events.map((e) => `${e.type} ${e.stream}@${e.revision}`);

/**
 * The queue's `onParked`: what the queue parks by itself (never settled in
 * its attempts, or not an append) is logged at error, as what the worker
 * parks is below.
 */
export const logParkedByQueue =
  (log: WorkerDeps['log']) =>
  (parked: ParkedWork): void =>
    log.error(
      {
        position: parked.position,
        attempts: parked.attempts,
        events: named(parked.events),
        reason: parked.reason,
      },
      'follow-up parked by the queue',
    );

/** How one item is run and settled; never throws (a settle that fails leaves the item to the ack wait). */
function settlerFor(deps: WorkerDeps, maxAttempts: number, backoff: (attempt: number) => number) {
  return async (item: WorkItem): Promise<void> => {
    const where = {
      position: item.position,
      attempt: item.attempt,
      events: named(item.events),
      correlationId: item.events[0]?.metadata.correlationId,
    };
    try {
      // This worker ran them inline to the end already: nothing to repeat.
      if (deps.followedUp.take(item.position)) {
        await item.ack();
        return;
      }
      let refused: Awaited<ReturnType<typeof runFollowUps>>['refused'];
      try {
        ({ refused } = await runFollowUps(deps, item.events, originOf(item.events)));
      } catch (error) {
        const delayMs = backoff(item.attempt);
        if (item.attempt >= maxAttempts)
          deps.log.error({ ...where, err: error }, 'follow-up parked: still failing after its last attempt');
        else deps.log.warn({ ...where, err: error, retryInMs: delayMs }, 'follow-up failed, will retry');
        await item.retryLater(delayMs);
        return;
      }
      if (refused.length === 0) {
        await item.ack();
        return;
      }
      const reason = refused
        .map(
          (r) =>
            `${r.command} ${r.commandId} refused: ${r.reply.code}${r.reply.ok ? '' : ` ${r.reply.error}`}`,
        )
        .join('; ');
      deps.log.error({ ...where, refused, reason }, 'follow-up parked: the domain refused it');
      await item.park(reason);
    } catch (error) {
      // The queue itself could not be told (NATS away): the item comes back after the ack wait.
      deps.log.warn({ ...where, err: error }, 'follow-up queue: could not settle an item');
    }
  };
}
