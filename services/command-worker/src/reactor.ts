import { followUpsOf, type StoredEvent } from '@camledger/domain';
import type { CheckpointStore, Position, RecordedEvent } from '@camledger/event-store';
import { commandKey } from './hashing.ts';
import type { WorkerDeps } from './pipeline/deps.ts';
import { type Identity, runFollowUps } from './pipeline/execute.ts';

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
  const subscription = deps.store.subscribeAll(from === undefined ? { fromEnd: true } : { from });

  let reached: Position | undefined;
  let unsaved = 0;
  let savedAt = from === undefined ? Number.NEGATIVE_INFINITY : performance.now();
  const save = async () => {
    if (reached === undefined || unsaved === 0) return;
    await checkpoints.save(name, reached);
    unsaved = 0;
    savedAt = performance.now();
  };

  const loop = (async () => {
    for await (const event of subscription) {
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
      reached = event.position;
      unsaved++;
      if (unsaved >= saveEvery || performance.now() - savedAt >= saveIntervalMs) await save();
    }
  })().catch((error: unknown) => deps.log.error({ err: error }, 'reactor stopped on an error'));

  return {
    async stop() {
      await subscription.close();
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
