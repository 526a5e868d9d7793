// The reply log on a JetStream KV bucket whose max age is the retention.
import { JSONCodec, type KV, type NatsConnection } from 'nats';
import type { ReplyLog, StoredReply } from '../port.ts';
import { safeToken } from '../shared.ts';
import { assertPrefix, repliesBucketName } from './layout.ts';

export interface JetStreamReplyLogOptions {
  readonly prefix: string;
  readonly replicas: number;
  readonly retentionMs: number;
}

const codec = JSONCodec<StoredReply>();

export async function jetStreamReplyLog(
  nc: NatsConnection,
  options: JetStreamReplyLogOptions,
): Promise<ReplyLog> {
  const bucket = repliesBucketName(assertPrefix(options.prefix));
  const kv: KV = await nc.jetstream().views.kv(bucket, {
    history: 1,
    replicas: options.replicas,
    ttl: options.retentionMs,
  });
  const get = async (key: string): Promise<StoredReply | undefined> => {
    const entry = await kv.get(safeToken(key));
    return entry && entry.operation === 'PUT' && entry.length > 0 ? codec.decode(entry.value) : undefined;
  };
  return {
    get,
    async putIfAbsent(key, reply) {
      // `create` is the server's compare-and-set on "no value yet": the first writer wins.
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await kv.create(safeToken(key), codec.encode(reply));
          return reply;
        } catch (error) {
          const existing = await get(key);
          if (existing) return existing;
          // The winner's entry expired between our create and our read: try again.
          if (attempt === 4) throw error;
        }
      }
      throw new Error('unreachable');
    },
    async close() {},
  };
}
