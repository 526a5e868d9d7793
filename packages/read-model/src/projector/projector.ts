import type { EventStore, RecordedEvent } from '@camledger/event-store';
import { installForProjector } from '../schema/install.ts';
import { createShadow, swapInShadow } from '../schema/shadow.ts';
import type { ReadStore } from '../store/port.ts';
import { applyBatch, CheckpointMoved, readCheckpoint } from './apply-batch.ts';

// The projector: the one process that writes the read store. It waits for
// the projector lock, installs or rebuilds the tables, then follows the log
// with `subscribeAll` from the checkpoint, applying whatever has arrived in
// one transaction per batch (catch-up is therefore fast, and live events
// are applied as soon as they come). Anything that goes wrong (the store,
// the database, the lock) ends this round; the next round starts over from
// the committed checkpoint, which is exact, so nothing is skipped or repeated.

export interface ProjectorLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ProjectorOptions {
  readonly events: EventStore;
  readonly readStore: ReadStore;
  readonly log?: ProjectorLog;
  /** Most events per transaction. PGlite's default is smaller: its work holds the one event loop. */
  readonly batchSize?: number;
  /** Pause before a new round after a failure. */
  readonly retryMs?: number;
  /** How often a waiting projector asks for the lock. */
  readonly lockPollMs?: number;
  /**
   * How often an applying projector asks whether the log is still the one
   * its rows come from (a prefix's events stream deleted and recreated under
   * it): if not, it starts again, and the new round builds from zero.
   */
  readonly logCheckMs?: number;
}

export interface Projector {
  /** The last position committed by this projector (null before its first batch). */
  readonly applied: number | null;
  /** Resolves once this projector holds the lock and has its tables installed. */
  readonly active: Promise<void>;
  /**
   * Resolves when this projector finds another one applying and stands by to
   * take over (PostgreSQL only): the rest of its process may serve meanwhile.
   */
  readonly standby: Promise<void>;
  /** Called after each committed batch with the new position. */
  onApplied(listener: (position: number) => void): () => void;
  /**
   * Rebuilds every projection from the start of the log into a shadow copy
   * and swaps it in; queries read the old rows meanwhile and the applied
   * position never goes back. Rejects at once when this projector is not the
   * one applying (a standby waiting for the lock).
   */
  rebuild(): Promise<{ readonly position: number | null }>;
  /** While a rebuild runs: how far it got, and the head it builds up to first. */
  readonly rebuilding: { readonly position: number | null; readonly goal: number } | undefined;
  /** Stops applying (the batch in flight commits first) and releases the lock. */
  stop(): Promise<void>;
}

/**
 * How many buffered events make the next batch: about `batchSize`, ending on
 * the last event of an append (positions name appends, so a checkpoint in the
 * middle of one would skip the rest of it on resume). 0 when no append in the
 * buffer is complete yet.
 */
export function batchEnd(buffer: readonly RecordedEvent[], batchSize: number): number {
  let end = Math.min(buffer.length, batchSize);
  while (end < buffer.length && buffer[end - 1]?.lastInAppend === false) end++;
  while (end > 0 && buffer[end - 1]?.lastInAppend === false) end--;
  return end;
}

interface RebuildRequest {
  resolve(v: { position: number | null }): void;
  reject(e: unknown): void;
  /**
   * The rebuild a start runs over rows of an older version of the handlers.
   * Its live rows are followed with today's handlers on a best-effort basis:
   * should applying to them fail (a handler on what the older ones wrote, or
   * the store), they stay as they are until the rebuilt ones are swapped in
   * (the rebuild must not fail with it, or a handler's failure would keep it
   * from ever finishing). A moved checkpoint still ends the round.
   */
  readonly atStart?: true;
}

/** A shadow filled up to the head of the log as it was when the fill began. */
interface Filled {
  readonly shadow: ReadStore;
  readonly position: number | null;
}

/** A rebuild whose shadow fills in the background. */
interface Filling {
  readonly request: RebuildRequest;
  /** Called off: the fill stops at its next batch. */
  cancelled: boolean;
  done: Promise<void>;
  /** Set once the fill has settled: the shadow filled, or why it failed. */
  outcome?: { readonly shadow: Filled } | { readonly failed: unknown };
}

const silent: ProjectorLog = { info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function startProjector(options: ProjectorOptions): Projector {
  const { events, readStore } = options;
  const log = options.log ?? silent;
  const batchSize = options.batchSize ?? (readStore.kind === 'pglite' ? 25 : 1000);
  const abort = new AbortController();
  const listeners = new Set<(position: number) => void>();
  let applied: number | null = null;
  let isActive = false;
  let pendingRebuild: RebuildRequest | undefined;
  let filling: Filling | undefined;
  let rebuilding: { position: number | null; goal: number } | undefined;
  let poke: () => void = () => {};
  let markActive: () => void = () => {};
  const active = new Promise<void>((resolve) => {
    markActive = resolve;
  });
  let markStandby: () => void = () => {};
  const standby = new Promise<void>((resolve) => {
    markStandby = resolve;
  });

  async function round(): Promise<void> {
    const lock = await readStore.acquireProjectorLock({
      signal: abort.signal,
      ...(options.lockPollMs ? { pollMs: options.lockPollMs } : {}),
      onWait: () => {
        log.info({ store: readStore.kind }, 'another projector applies: standing by to take over');
        markStandby();
      },
    });
    // Told once for the round, read by the follower and a rebuild alike.
    let lockLost = false;
    void lock.lost.then(() => {
      lockLost = true;
      poke();
    });
    const isLockLost = () => lockLost;
    // The rebuild this start queued over an older version's rows, and the one
    // asked for before it that it answers.
    let atStart: { queued: RebuildRequest; asked: RebuildRequest | undefined } | undefined;
    try {
      const logId = await events.logId();
      const outcome = await installForProjector(readStore, logId);
      if (outcome.rebuild === true)
        log.info({ reason: outcome.reason, logId }, 'read store built from the start of the log');
      applied = await readCheckpoint(readStore);
      isActive = true;
      markActive();
      if (outcome.rebuild === 'in-shadow') {
        // Rows of an older version of the handlers: queries go on reading
        // them, followed with today's handlers (a token revoked meanwhile is
        // refused at once), until the rebuilt ones are swapped in. A rebuild
        // asked for before this start is answered by this one.
        log.info({ reason: outcome.reason, position: applied }, 'older projections kept until rebuilt');
        const asked = pendingRebuild;
        pendingRebuild = {
          atStart: true,
          resolve: (done) => asked?.resolve(done),
          reject: (error) => asked?.reject(error),
        };
        atStart = { queued: pendingRebuild, asked };
      }
      log.info({ position: applied, store: readStore.kind }, 'projector applying');
      for (;;) {
        await follow(isLockLost, logId);
        if (abort.signal.aborted) return;
        const request = pendingRebuild;
        if (request && !filling) {
          // The live rows go on being followed while the shadow fills: what
          // is appended meanwhile (a revoked token above all) shows at once.
          pendingRebuild = undefined;
          filling = startFilling(request, logId, isLockLost);
          continue;
        }
        const filled = filling;
        const outcome = filled?.outcome;
        if (!filled || !outcome) return;
        filling = undefined;
        try {
          if (!('shadow' in outcome)) throw outcome.failed;
          await catchUpAndSwap(outcome.shadow, isLockLost);
          filled.request.resolve({ position: applied });
        } catch (error) {
          filled.request.reject(error);
          throw error;
        } finally {
          rebuilding = undefined;
        }
      }
    } finally {
      isActive = false;
      // Not begun (the round ended first): the next round's start decides
      // afresh whether the rows it finds need one, and only the one asked
      // for waits.
      if (atStart && pendingRebuild === atStart.queued) pendingRebuild = atStart.asked;
      // A fill still writing the shadow is called off (the round ended: a
      // stop, a lost lock, a failure of the live follow) and ends before the
      // lock is let go; its caller hears why.
      const unfinished = filling;
      filling = undefined;
      if (unfinished) {
        unfinished.cancelled = true;
        await unfinished.done;
        rebuilding = undefined;
        const outcome = unfinished.outcome;
        const failed = outcome && 'failed' in outcome ? outcome.failed : undefined;
        unfinished.request.reject(failed ?? new Error('stopped during a rebuild'));
      }
      await lock.release();
    }
  }

  /** The shadow filling in the background while `follow` applies to the live rows. */
  function startFilling(request: RebuildRequest, logId: string, lockLost: () => boolean): Filling {
    const fill: Filling = { request, cancelled: false, done: Promise.resolve() };
    const settle = (outcome: NonNullable<Filling['outcome']>) => {
      fill.outcome = outcome;
      poke();
    };
    fill.done = fillShadow(logId, lockLost, () => fill.cancelled).then(
      (shadow) => settle({ shadow }),
      (failed: unknown) => settle({ failed }),
    );
    return fill;
  }

  async function fillShadow(
    logId: string,
    lockLost: () => boolean,
    cancelled: () => boolean = () => false,
  ): Promise<Filled> {
    const goal = Math.max(await events.headPosition(), applied ?? 0);
    const shadow = await createShadow(readStore, logId);
    rebuilding = { position: null, goal };
    log.info({ goal }, 'rebuilding the projections into a shadow copy');
    return { shadow, position: await applyInto(shadow, null, lockLost, goal, cancelled) };
  }

  /**
   * The shadow brought up to the log's head as it is now (at least the live
   * checkpoint, since `follow` has stopped), then swapped in.
   */
  async function catchUpAndSwap(filled: Filled, lockLost: () => boolean): Promise<void> {
    const position = await applyInto(filled.shadow, filled.position, lockLost, rebuilding?.goal ?? 0);
    if (lockLost()) throw new Error('the projector lock was lost during a rebuild');
    // Refused there if the live rows are further on than the shadow's.
    await swapInShadow(readStore, position);
    applied = position;
    log.info({ position }, 'rebuilt projections swapped in');
  }

  /** Applies the log after `from` into `shadow`, in batches, and answers the position reached. */
  async function applyInto(
    shadow: ReadStore,
    from: number | null,
    lockLost: () => boolean,
    goal: number,
    cancelled: () => boolean = () => false,
  ): Promise<number | null> {
    let batch: RecordedEvent[] = [];
    let position = from;
    for await (const event of events.readAll(from === null ? {} : { from })) {
      batch.push(event);
      if (batch.length >= batchSize && event.lastInAppend !== false) {
        position = await applyBatch(shadow, batch, position);
        batch = [];
        rebuilding = { position, goal };
        await new Promise((resolve) => setImmediate(resolve));
        if (abort.signal.aborted || cancelled()) throw new Error('stopped during a rebuild');
        if (lockLost()) throw new Error('the projector lock was lost during a rebuild');
      }
    }
    return applyBatch(shadow, batch, position);
  }

  async function follow(lockLost: () => boolean, logId: string): Promise<void> {
    const subscription = events.subscribeAll(applied === null ? {} : { from: applied });
    const buffer: RecordedEvent[] = [];
    let wake: () => void = () => {};
    let ended: { error?: unknown } | undefined;
    let logReplaced = false;
    const logCheck = setInterval(() => {
      events.logId().then(
        (now) => {
          if (now === logId) return;
          logReplaced = true;
          wake();
        },
        // Unreachable for now: the subscription and the next check will tell.
        () => {},
      );
    }, options.logCheckMs ?? 5_000);
    const stopWaking = () => wake();
    poke = () => wake();
    abort.signal.addEventListener('abort', stopWaking);
    // The pump moves events from the subscription into the buffer; it pauses
    // when a few batches wait, so a slow read store does not fill memory.
    let room: () => void = () => {};
    const pump = (async () => {
      try {
        for await (const event of subscription) {
          buffer.push(event);
          wake();
          // Never pauses inside an append: the batch taker needs its last event.
          while (buffer.length >= batchSize * 4 && event.lastInAppend !== false && !abort.signal.aborted)
            await new Promise<void>((resolve) => {
              room = resolve;
            });
        }
        ended = {};
      } catch (error) {
        ended = { error };
      }
      wake();
    })();
    // Set when applying to the live rows failed during a start's rebuild:
    // they are then left as they are until the rebuilt ones replace them.
    let liveLeftAsItIs = false;
    try {
      // Out of the loop to start a rebuild's fill, or to swap in a filled shadow.
      const rebuildNeedsMe = () =>
        (pendingRebuild !== undefined && !filling) || filling?.outcome !== undefined;
      while (!abort.signal.aborted && !lockLost() && !logReplaced && !rebuildNeedsMe()) {
        if (buffer.length === 0 || liveLeftAsItIs) {
          if (ended) throw ended.error ?? new Error('the subscription to the log ended');
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          continue;
        }
        const end = batchEnd(buffer, batchSize);
        if (end === 0) {
          // Only part of an append has arrived: wait for the rest of it.
          if (ended) throw ended.error ?? new Error('the log ended inside an append');
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          continue;
        }
        const batch = buffer.splice(0, end);
        room();
        try {
          applied = await applyBatch(readStore, batch, applied);
        } catch (error) {
          // A moved checkpoint is another projector applying (this one's lock
          // gone): never a handler failing on older rows, it ends the round.
          if (!filling?.request.atStart || error instanceof CheckpointMoved) throw error;
          liveLeftAsItIs = true;
          log.error(
            { err: error, position: applied },
            "applying to the older version's rows failed: they are left as they are until the rebuilt ones are swapped in",
          );
          continue;
        }
        for (const listener of listeners) listener(applied as number);
        // PGlite's work and the memory store's delivery both settle as
        // microtasks: without a turn of the event loop here, a catch-up holds
        // it (and every NATS handler of the process) until the log's end.
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (lockLost()) throw new Error('the projector lock was lost');
      if (logReplaced)
        throw new Error('the event log was replaced (a recreated stream): building from its start');
    } finally {
      clearInterval(logCheck);
      abort.signal.removeEventListener('abort', stopWaking);
      room();
      await subscription.close();
      await pump;
    }
  }

  const running = (async () => {
    while (!abort.signal.aborted) {
      try {
        await round();
      } catch (error) {
        if (abort.signal.aborted) break;
        log.error({ err: error }, 'projector round failed; starting again from the checkpoint');
        await sleep(options.retryMs ?? 1000);
      }
    }
  })();

  return {
    get applied() {
      return applied;
    },
    active,
    standby,
    onApplied(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get rebuilding() {
      return rebuilding;
    },
    rebuild() {
      if (!isActive) return Promise.reject(new Error('this projector is not the one applying'));
      if (pendingRebuild || rebuilding || filling)
        return Promise.reject(new Error('a rebuild is already running'));
      return new Promise((resolve, reject) => {
        pendingRebuild = { resolve, reject };
        poke();
      });
    },
    async stop() {
      abort.abort();
      pendingRebuild?.reject(new Error('the projector stopped'));
      await running;
    },
  };
}
