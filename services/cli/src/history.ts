import type { EventStore, RecordedEvent } from '@camledger/event-store';
import { type ExitCode, exitCodes, type Output, UsageError } from './output.ts';

export interface HistoryOptions {
  readonly actor?: string;
  readonly stream?: string;
  readonly commandId?: string;
  readonly json?: boolean;
}

/** One line of "who did what, when, through which command". */
export interface HistoryEntry {
  readonly occurredAt: unknown;
  readonly actor: unknown;
  readonly commandId: unknown;
  readonly correlationId: unknown;
  readonly stream: string;
  readonly revision: number;
  readonly position: number;
  readonly type: string;
  readonly data: unknown;
}

const entryOf = (r: RecordedEvent): HistoryEntry => ({
  occurredAt: r.metadata.occurredAt,
  actor: r.metadata.actor,
  commandId: r.metadata.commandId,
  correlationId: r.metadata.correlationId,
  stream: r.stream,
  revision: r.revision,
  position: r.position,
  type: r.type,
  data: r.data,
});

/** The events matching every filter given, in global order. */
export async function history(store: EventStore, options: HistoryOptions): Promise<HistoryEntry[]> {
  if (options.actor === undefined && options.stream === undefined && options.commandId === undefined)
    throw new UsageError('give at least one of --actor, --stream, --command-id');
  const matches = (r: RecordedEvent) =>
    (options.actor === undefined || r.metadata.actor === options.actor) &&
    (options.stream === undefined || r.stream === options.stream) &&
    (options.commandId === undefined || r.metadata.commandId === options.commandId);
  // One stream is read directly; anything else needs the whole log.
  const source = options.stream !== undefined ? await store.readStream(options.stream) : store.readAll();
  const entries: HistoryEntry[] = [];
  for await (const r of source) if (matches(r)) entries.push(entryOf(r));
  return entries;
}

/** `camledger audit history`: one line per event; exit 1 when nothing matched. */
export async function runHistory(
  store: EventStore,
  options: HistoryOptions,
  output: Output,
): Promise<ExitCode> {
  const entries = await history(store, options);
  for (const e of entries)
    output.out(
      options.json
        ? JSON.stringify(e)
        : `${String(e.occurredAt)}  ${String(e.actor)}  command ${String(e.commandId)}  ${e.stream}@${e.revision}  ${e.type}  ${JSON.stringify(e.data)}`,
    );
  if (!options.json) output.err(`${entries.length} event(s)`);
  return entries.length > 0 ? exitCodes.ok : exitCodes.failed;
}
