import type { KV, NatsConnection } from 'nats';
import type { NonceStore } from '../oauth/credentials.ts';

/**
 * Kept 900 s. A timestamp is accepted 300 s either side of an edge's clock,
 * so with every clock right a nonce matters 600 s at most (the contract's
 * minimum). Edges whose clocks disagree by d seconds stretch that to 600 + d:
 * the bucket ages an entry from its first claim, and an edge whose clock runs
 * behind the claiming edge's goes on accepting the timestamp d seconds longer.
 * The extra 300 s covers edges up to 5 minutes apart.
 */
export const nonceTtlMs = 900_000;

export const nonceBucketName = (prefix: string): string => `${prefix}_edge_nonces`;

/**
 * Nonces in a NATS KV bucket with a TTL, shared by every edge. A claim is a
 * create-only put (expected last sequence 0 for the key), so of two edges
 * racing on one nonce the server lets exactly one through.
 */
export async function natsNonceStore(
  nc: NatsConnection,
  prefix: string,
  options: { readonly replicas?: number } = {},
): Promise<NonceStore> {
  const kv: KV = await nc.jetstream().views.kv(nonceBucketName(prefix), {
    ttl: nonceTtlMs,
    history: 1,
    replicas: options.replicas ?? 1,
  });
  await atLeastTtl(nc, nonceBucketName(prefix));
  const seen = new Uint8Array([1]);
  return {
    async claim(key) {
      try {
        await kv.put(key, seen, { previousSeq: 0 });
        return true;
      } catch (error) {
        // 10071: wrong last sequence, i.e. the key is there already.
        if ((error as { api_error?: { err_code?: number } }).api_error?.err_code === 10071) return false;
        throw error;
      }
    },
  };
}

/**
 * A bucket made by an older edge keeps the TTL it was made with (opening a
 * KV view never changes an existing one): raise it, never lower it, so edges
 * of two versions side by side during an upgrade both keep their promise.
 */
async function atLeastTtl(nc: NatsConnection, bucket: string): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const stream = `KV_${bucket}`;
  const { config } = await jsm.streams.info(stream);
  const wanted = nonceTtlMs * 1_000_000;
  if (config.max_age > 0 && config.max_age < wanted) await jsm.streams.update(stream, { max_age: wanted });
}
