import type { EventStore, RecordedEvent } from '@camledger/event-store';
import type { Output } from './output.ts';

// Helpers for the CLI's tests: write events straight into a store, as a
// tampered or hand-made history would hold them, and capture what a command prints.

export const user = (n: number | string) => `usr_${String(n).toUpperCase().padStart(26, '0')}`;
export const idOf = (prefix: string, n: number | string) =>
  `${prefix}_${String(n).toUpperCase().padStart(26, '0')}`;

export interface Written {
  readonly stream: string;
  readonly position: number;
  readonly revision: number;
  readonly commandId: string;
}

let sequence = 0;

/** Appends one event with complete metadata unless `metadata` overrides (or drops, with undefined) fields. */
export async function write(
  store: EventStore,
  stream: string,
  type: string,
  data: unknown,
  metadata: Readonly<Record<string, unknown>> & { actor: string; occurredAt?: string },
): Promise<Written> {
  const commandId = `cmd-${++sequence}`;
  const full = Object.fromEntries(
    Object.entries({
      commandId,
      correlationId: commandId,
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
      ...metadata,
    }).filter(([, v]) => v !== undefined),
  );
  const id = `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`;
  const result = await store.append(stream, [{ id, type, data, metadata: full }], {
    expectedRevision: 'any',
  });
  return {
    stream,
    position: result.position,
    revision: result.revision,
    commandId: String(full.commandId ?? ''),
  };
}

/** A store whose log is exactly `events`: for histories no honest adapter would let anyone append. */
export function tamperedStore(events: readonly RecordedEvent[]): EventStore {
  const unsupported = () => Promise.reject(new Error('read-only test store'));
  return {
    append: unsupported,
    readStream: async (stream) => events.filter((e) => e.stream === stream),
    async *readAll() {
      yield* events;
    },
    subscribeAll: () => {
      throw new Error('read-only test store');
    },
    followAppends: () => {
      throw new Error('read-only test store');
    },
    headPosition: async () => events.at(-1)?.position ?? 0,
    logId: async () => 'tampered',
    close: async () => {},
  };
}

export function capture(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}
