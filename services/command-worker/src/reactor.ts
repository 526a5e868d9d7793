import { followUpsOf, type StoredEvent } from '@camledger/domain';
import type { CheckpointStore, Position, RecordedEvent, Subscription } from '@camledger/event-store';
import { commandKey, type Identity, runFollowUps } from '@camledger/runtime';
import type { WorkerDeps } from './deps.ts';

/**
 * The durable side of follow-ups. The worker runs an event's follow-ups
 * inline, before it replies; a worker killed between its append and those
 * follow-ups would leave them undone if the client never retried. This
 * reactor follows the whole log from a saved checkpoint and runs the
 * follow-ups of every event again. They are idempotent (the domain's rule
 * for every follow-up), so running one twice, or beside the inline run,
 * changes nothing; running one late heals the crash.
 */
export interface RunningReactor {
  stop(): Promise<void>;
}

export interface ReactorOptions {
  readonly name?: string;
  /** Save the checkpoint after this many events, or this long after the last save, whichever comes first. */
  readonly saveEvery?: number;
  readonly saveIntervalMs?: number;
}

export async function startFollowUpReactor(
  deps: WorkerDeps,
  checkpoints: CheckpointStore,
  options: ReactorOptions = {},
): Promise<RunningReactor> {
  const name = options.name ?? 'follow-ups';
  const saveEvery = options.saveEvery ?? 500;
  const saveIntervalMs = options.saveIntervalMs ?? 2_000;
  // Without a checkpoint this is the reactor's first start on this store: it
  // covers what is appended from now on rather than replaying all history
  // (whose follow-ups ran inline when it was written), and saves its first
  // position at once so every later start resumes from there.
  const from = await checkpoints.load(name);
  let reached: Position | undefined = from;
  let unsaved = 0;
  let savedAt = from === undefined ? Number.NEGATIVE_INFINITY : performance.now();
  let stopping = false;
  let subscription: Subscription | undefined;

  // A checkpoint that cannot be saved now (NATS away) is saved later: losing
  // one only means repeating some idempotent work after a restart.
  const save = async () => {
    if (reached === undefined || unsaved === 0) return;
    try {
      await checkpoints.save(name, reached);
      unsaved = 0;
      savedAt = performance.now();
    } catch (error) {
      deps.log.warn({ err: error }, 'reactor: could not save its checkpoint, will retry');
    }
  };

  const follow = async (current: Subscription) => {
    for await (const event of current) {
      if (followUpsOf(event as unknown as StoredEvent).length > 0) {
        try {
          await runFollowUps(deps, [event], originOf(event));
        } catch (error) {
          // A follow-up that cannot run now is logged with its origin; the
          // inline run or a retry of the command may still complete it.
          deps.log.error(
            { err: error, stream: event.stream, revision: event.revision },
            'reactor: follow-up failed',
          );
        }
      }
      // A position names a whole append: resuming after it skips the rest of
      // that append, so only its last event moves the checkpoint.
      if (event.lastInAppend === false) continue;
      reached = event.position;
      unsaved++;
      if (unsaved >= saveEvery || performance.now() - savedAt >= saveIntervalMs) await save();
    }
  };

  // Resubscribes from where it got to whenever the subscription ends or
  // fails without being asked to stop, so a lost connection does not silence
  // the reactor until the next restart.
  const loop = (async () => {
    while (!stopping) {
      subscription = deps.store.subscribeAll(reached === undefined ? { fromEnd: true } : { from: reached });
      try {
        await follow(subscription);
      } catch (error) {
        if (!stopping) deps.log.warn({ err: error }, 'reactor: subscription failed, resubscribing');
      }
      if (!stopping) await new Promise((resume) => setTimeout(resume, 1_000));
    }
  })();

  return {
    async stop() {
      stopping = true;
      await subscription?.close();
      await loop;
      await save();
    },
  };
}

/** The identity the inline run used, rebuilt from the event's metadata, so derived ids come out the same. */
function originOf(event: RecordedEvent): Identity {
  const actor = String(event.metadata.actor ?? 'system');
  const commandId = String(event.metadata.commandId ?? event.position);
  return {
    actor: actor as Identity['actor'],
    commandId,
    correlationId: String(event.metadata.correlationId ?? commandId),
    key: commandKey(actor, commandId),
  };
}
