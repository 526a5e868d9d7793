import { parseDateTime } from '@camledger/domain';
import type { EventStore, RecordedEvent } from '@camledger/event-store';
import { type ExitCode, exitCodes, type Output, UsageError } from './output.ts';

export interface HistoryOptions {
  readonly actor?: string;
  readonly stream?: string;
  /** The command and every follow-up it caused. */
  readonly commandId?: string;
  readonly correlationId?: string;
  /** Date-times as the wire takes them (`yyyy-mm-dd hh:mm:ss` UTC or ISO 8601); both ends included. */
  readonly since?: string;
  readonly until?: string;
  readonly json?: boolean;
}

/**
 * True for the command itself and for every follow-up it caused, however
 * deep: the runtime names a follow-up's command id after its origin's,
 * `<origin>><stream>@<revision>#<n>` (packages/runtime, runFollowUps).
 */
export const causedBy = (commandId: unknown, origin: string): boolean =>
  typeof commandId === 'string' && (commandId === origin || commandId.startsWith(`${origin}>`));

function instant(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseDateTime(text);
  if (!parsed.ok) throw new UsageError(`${option} "${text}": ${parsed.reason}`);
  return Date.parse(parsed.iso);
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

/**
 * The events matching every filter given, in global order, as they are read:
 * an audit over a long log prints from its first match on and holds one
 * event at a time, not every match. A missing filter is refused at once,
 * before anything is read.
 */
export function history(store: EventStore, options: HistoryOptions): AsyncIterable<HistoryEntry> {
  const { actor, stream, commandId, correlationId } = options;
  const since = instant('--since', options.since);
  const until = instant('--until', options.until);
  if ([actor, stream, commandId, correlationId, since, until].every((f) => f === undefined))
    throw new UsageError(
      'give at least one of --actor, --stream, --command-id, --correlation-id, --since, --until',
    );
  const matches = (r: RecordedEvent) => {
    const at = Date.parse(String(r.metadata.occurredAt));
    return (
      (actor === undefined || r.metadata.actor === actor) &&
      (stream === undefined || r.stream === stream) &&
      (commandId === undefined || causedBy(r.metadata.commandId, commandId)) &&
      (correlationId === undefined || r.metadata.correlationId === correlationId) &&
      (since === undefined || at >= since) &&
      (until === undefined || at <= until)
    );
  };
  return (async function* () {
    // One stream is read directly; anything else needs the whole log.
    const source = stream !== undefined ? await store.readStream(stream) : store.readAll();
    for await (const r of source) if (matches(r)) yield entryOf(r);
  })();
}

/** `camledger audit history`: one line per event; exit 1 when nothing matched. */
export async function runHistory(
  store: EventStore,
  options: HistoryOptions,
  output: Output,
): Promise<ExitCode> {
  let count = 0;
  for await (const e of history(store, options)) {
    count++;
    output.out(
      options.json
        ? JSON.stringify(e)
        : `${String(e.occurredAt)}  ${String(e.actor)}  command ${String(e.commandId)}  ${e.stream}@${e.revision}  ${e.type}  ${JSON.stringify(e.data)}`,
    );
  }
  if (!options.json) output.err(`${count} event(s)`);
  return count > 0 ? exitCodes.ok : exitCodes.failed;
}
