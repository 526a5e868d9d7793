// The reply log on EventStoreDB: one stream per key, its `$maxAge` the retention,
// the first append made with expected revision "no stream" so the first writer wins.
import {
  EventStoreDBClient,
  type JSONType,
  jsonEvent,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type { ReplyLog, StoredReply } from '../port.ts';
import { safeToken } from '../shared.ts';

export interface EventStoreDbReplyLogOptions {
  readonly retentionMs: number;
  /** Streams are named `<prefix>reply-<key>`; default `camledger_`. */
  readonly prefix?: string;
}

export async function eventStoreDbReplyLog(
  clientOrConnectionString: EventStoreDBClient | string,
  options: EventStoreDbReplyLogOptions,
): Promise<ReplyLog> {
  const owns = typeof clientOrConnectionString === 'string';
  const client = owns
    ? EventStoreDBClient.connectionString(clientOrConnectionString)
    : clientOrConnectionString;
  const maxAge = Math.max(1, Math.ceil(options.retentionMs / 1000));
  const streamOf = (key: string) => `${options.prefix ?? 'camledger_'}reply-${safeToken(key)}`;

  /** The stored reply and the stream's revision (-1 when absent; a reply past its age reads as absent). */
  const read = async (key: string): Promise<{ reply: StoredReply | undefined; revision: number }> => {
    try {
      let found: { reply: StoredReply; revision: number } | undefined;
      for await (const resolved of client.readStream<{ type: 'ReplyStored'; data: JSONType }>(
        streamOf(key),
      )) {
        if (resolved.event)
          found = {
            reply: resolved.event.data as unknown as StoredReply,
            revision: Number(resolved.event.revision),
          };
      }
      return found ? { reply: found.reply, revision: found.revision } : { reply: undefined, revision: -1 };
    } catch (e) {
      if (e instanceof StreamNotFoundError) return { reply: undefined, revision: -1 };
      throw e;
    }
  };

  return {
    get: async (key) => (await read(key)).reply,
    async putIfAbsent(key, reply) {
      const stream = streamOf(key);
      await client.setStreamMetadata(stream, { maxAge });
      let expected: bigint | typeof NO_STREAM = NO_STREAM;
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await client.appendToStream(
            stream,
            jsonEvent({ type: 'ReplyStored', data: reply as unknown as JSONType }),
            {
              expectedRevision: expected,
            },
          );
          return reply;
        } catch (e) {
          if (!(e instanceof WrongExpectedVersionError)) throw e;
          const current = await read(key);
          if (current.reply) return current.reply;
          // An expired reply leaves the stream behind: compete again at its current revision.
          expected = e.actualVersion === NO_STREAM ? NO_STREAM : e.actualVersion;
        }
      }
      throw new Error(`reply log: no writer won on ${stream}`);
    },
    async close() {
      if (owns) await client.dispose();
    },
  };
}
