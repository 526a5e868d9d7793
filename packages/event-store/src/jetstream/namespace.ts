import type { NatsConnection, NatsError } from 'nats';
import { assertPrefix, checkpointsBucketName, eventsStreamName, repliesBucketName } from './layout.ts';

/**
 * Deletes everything the JetStream adapters create under `prefix`: the events
 * stream (with its consumers), the reply bucket and the checkpoint bucket. Exact names, so prefix `a`
 * never touches prefix `a_b`.
 */
export async function deleteJetStreamNamespace(nc: NatsConnection, prefix: string): Promise<void> {
  const jsm = await nc.jetstreamManager();
  for (const name of [
    eventsStreamName(assertPrefix(prefix)),
    `KV_${repliesBucketName(prefix)}`,
    `KV_${checkpointsBucketName(prefix)}`,
  ]) {
    try {
      await jsm.streams.delete(name);
    } catch (e) {
      if ((e as NatsError).code !== '404' && !String(e).includes('not found')) throw e;
    }
  }
}
