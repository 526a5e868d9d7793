import type { KV, NatsConnection } from 'nats';
import type { NonceStore } from '../oauth/credentials.ts';

/** Kept 600 s: a timestamp is accepted 300 s either side of a clock, so a nonce can matter no longer. */
export const nonceTtlMs = 600_000;

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
