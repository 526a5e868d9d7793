// The reply log on a JetStream KV bucket whose max age is the retention.
import { headers, JSONCodec, type KV, type MsgHdrs, type NatsConnection } from 'nats';
import type { ReplyLog, StoredReply } from '../port.ts';
import { safeToken } from '../shared.ts';
import { assertPrefix, repliesBucketName } from './layout.ts';
import { type ReplyKeys, type ReplyKeysOptions, watchReplyKeys } from './reply-keys.ts';

export interface JetStreamReplyLogOptions {
  readonly prefix: string;
  readonly replicas: number;
  readonly retentionMs: number;
  /**
   * Keep a replica of the bucket's keys (a headers-only watch) so that a new
   * command skips the lookup (`mayHold`). On for workers; an auditor or a
   * one-off tool has no use for it.
   */
  readonly replicateKeys?: false | Pick<ReplyKeysOptions, 'maxStalenessMs' | 'syncEveryMs' | 'maxKeys'>;
}

const codec = JSONCodec<StoredReply>();

function createOnly(): MsgHdrs {
  const h = headers();
  // nats.js sets this header itself only on its own publishes (`expect`); its public JsHeaders does not name it.
  h.set('Nats-Expected-Last-Subject-Sequence', '0');
  return h;
}

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
  const replica: ReplyKeys | undefined = options.replicateKeys
    ? await watchReplyKeys(nc, {
        ...options.replicateKeys,
        stream: `KV_${bucket}`,
        subjectRoot: `$KV.${bucket}`,
        retentionMs: options.retentionMs,
      })
    : undefined;
  const get = async (key: string): Promise<StoredReply | undefined> => {
    const entry = await kv.get(safeToken(key));
    return entry && entry.operation === 'PUT' && entry.length > 0 ? codec.decode(entry.value) : undefined;
  };
  return {
    get,
    async putIfAbsent(key, reply) {
      // `create` is the server's compare-and-set on "no value yet": the first writer wins.
      const token = safeToken(key);
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await kv.create(token, codec.encode(reply));
          replica?.add(token);
          return reply;
        } catch (error) {
          const existing = await get(key);
          if (existing) {
            replica?.add(token);
            return existing;
          }
          // The winner's entry expired between our create and our read: try again.
          if (attempt === 4) throw error;
        }
      }
      throw new Error('unreachable');
    },
    putBehind(key, reply) {
      // A plain publish into the bucket's subject, checked by the server
      // like `create` (only onto an empty key) but unanswered: no ack to
      // wait for or receive. A refused or lost one costs only a later 128.
      const token = safeToken(key);
      nc.publish(`$KV.${bucket}.${token}`, codec.encode(reply), { headers: createOnly() });
      replica?.add(token);
    },
    ...(replica ? { mayHold: (key: string) => replica.mayHold(safeToken(key)) } : {}),
    async close() {
      await replica?.close();
    },
  };
}
