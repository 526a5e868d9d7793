import {
  type AnyCommandHandler,
  commandsByName,
  type Decision,
  type DomainConfig,
  type DomainEvent,
  defaultDomainConfig,
  type Reply,
  schemaVersionOf,
  type UserId,
  upcast,
} from '@camledger/domain';
import { defaultActor, generatedTestId, testContext } from '@camledger/domain/testing';
import { memoryEventStore, memoryReplyLog } from '@camledger/event-store';
import { createRuntimeDeps, runCommand } from '@camledger/runtime';

/** Histories by stream name (`<category>-<id>`), oldest event first. */
export type Streams = Record<string, readonly DomainEvent[]>;

export interface RunOptions {
  readonly actor?: UserId | 'system' | string;
  readonly now?: Date | string | number;
  readonly commandId?: string;
  readonly config?: Partial<DomainConfig>;
  /** First number the command's new ids count up from: `<prefix>_0…0<n>`; each follow-up gets the next ten. */
  readonly firstNewId?: number;
}

export interface RunResult {
  readonly decision: Decision;
  readonly reply: Reply;
  /** Every event the command and its follow-ups appended, in log order. */
  readonly appended: readonly { readonly stream: string; readonly event: DomainEvent }[];
  /** Follow-ups the domain refused (the runtime logs them at error); most tests want none. */
  readonly refusedFollowUps: readonly object[];
}

/**
 * Runs one command the way the worker does — `runCommand` from
 * @camledger/runtime: payload validation, load, decide, stored events,
 * append at the expected revision, follow-ups — over a memory store holding
 * `streams`, then adds what was appended to `streams` (in place), so the
 * next command sees it. The actor check and the reply log are the
 * envelope's (see MiniWorker for those); a test of one slice starts here.
 */
export async function runOn(
  streams: Streams,
  command: string | AnyCommandHandler,
  payload: unknown,
  options: RunOptions = {},
): Promise<RunResult> {
  const handler = typeof command === 'string' ? commandsByName.get(command) : command;
  if (!handler) throw new Error(`no handler for ${String(command)}`);
  const now = new Date(options.now ?? '2026-01-01T00:00:00.000Z');
  const store = memoryEventStore({ maxAppendBytes: Number.POSITIVE_INFINITY });
  for (const [stream, events] of Object.entries(streams))
    if (events.length > 0)
      await store.append(
        stream,
        events.map((event) => ({
          id: crypto.randomUUID(),
          type: event.type,
          data: event.data,
          metadata: {
            commandId: 'given',
            correlationId: 'given',
            actor: 'system',
            occurredAt: now.toISOString(),
            schemaVersion: schemaVersionOf(event.type),
          },
        })),
        { expectedRevision: 'no_stream' },
      );
  let seeded = -1;
  for await (const event of store.readAll()) seeded = Number(event.position);

  let nextBase = options.firstNewId ?? 900;
  const bases = new Map<string, number>();
  const refusedFollowUps: object[] = [];
  const { secrets } = testContext();
  const deps = createRuntimeDeps({
    ...(secrets ? { secrets } : {}),
    log: { error: (fields) => refusedFollowUps.push(fields), warn: () => {} },
    store,
    replies: memoryReplyLog(),
    clock: () => now,
    domain: { ...defaultDomainConfig, ...options.config },
    // The same key (all attempts of one command) counts from the same base.
    newIds: (key, creator) => {
      let n = bases.get(key) ?? nextBase;
      if (!bases.has(key)) {
        bases.set(key, n);
        nextBase += 10;
      }
      return (prefix) => generatedTestId(prefix, n++, creator);
    },
  });
  const commandId = options.commandId ?? 'cmd-test';
  const outcome = await runCommand(deps, handler, payload, {
    actor: (options.actor ?? defaultActor) as UserId | 'system',
    commandId,
    correlationId: commandId,
    key: `test:${commandId}`,
  });

  const appended: { stream: string; event: DomainEvent }[] = [];
  for await (const recorded of store.readAll()) {
    if (Number(recorded.position) <= seeded) continue;
    const event = upcast(recorded);
    appended.push({ stream: recorded.stream, event });
    streams[recorded.stream] = [...(streams[recorded.stream] ?? []), event];
  }
  if (!outcome.decision) throw new Error(`${handler.name}: answered from an earlier append in a fresh store`);
  return { decision: outcome.decision, reply: outcome.reply, appended, refusedFollowUps };
}
