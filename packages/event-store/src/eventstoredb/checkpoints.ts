// Checkpoints on EventStoreDB: one stream per reader kept to its last event
// ($maxCount 1), read backwards from the end.
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  type JSONType,
  jsonEvent,
  StreamNotFoundError,
} from '@eventstore/db-client';
import type { CheckpointStore } from '../port.ts';
import { assertPosition, safeToken } from '../shared.ts';

export async function eventStoreDbCheckpoints(
  clientOrConnectionString: EventStoreDBClient | string,
  options: { readonly prefix?: string } = {},
): Promise<CheckpointStore> {
  const owns = typeof clientOrConnectionString === 'string';
  const client = owns
    ? EventStoreDBClient.connectionString(clientOrConnectionString)
    : clientOrConnectionString;
  const streamOf = (name: string) => `${options.prefix ?? 'camledger_'}checkpoint-${safeToken(name)}`;
  return {
    async load(name) {
      try {
        for await (const resolved of client.readStream<{ type: 'CheckpointSaved'; data: JSONType }>(
          streamOf(name),
          {
            direction: BACKWARDS,
            fromRevision: END,
            maxCount: 1,
          },
        )) {
          const position = (resolved.event?.data as { position?: unknown } | undefined)?.position;
          return typeof position === 'number' && Number.isSafeInteger(position) ? position : undefined;
        }
        return undefined;
      } catch (e) {
        if (e instanceof StreamNotFoundError) return undefined;
        throw e;
      }
    },
    async save(name, position) {
      const stream = streamOf(name);
      await client.appendToStream(
        stream,
        jsonEvent({ type: 'CheckpointSaved', data: { position: assertPosition(position) } }),
      );
      await client.setStreamMetadata(stream, { maxCount: 1 });
    },
    async close() {
      if (owns) await client.dispose();
    },
  };
}
