import type { NatsConnection, NatsError } from 'nats';
import {
  assertPrefix,
  checkpointsBucketName,
  eventsStreamName,
  parkedStreamName,
  repliesBucketName,
} from './layout.ts';

/**
 * Deletes everything the JetStream adapters create under `prefix`: the events
 * stream (with its consumers, work queues included), the reply bucket, the checkpoint bucket
 * and the parked work. Exact names, so prefix `a`
 * never touches prefix `a_b`.
 */
export async function deleteJetStreamNamespace(nc: NatsConnection, prefix: string): Promise<void> {
  const jsm = await nc.jetstreamManager();
  for (const name of [
    eventsStreamName(assertPrefix(prefix)),
    `KV_${repliesBucketName(prefix)}`,
    `KV_${checkpointsBucketName(prefix)}`,
    parkedStreamName(prefix),
  ]) {
    try {
      await jsm.streams.delete(name);
    } catch (e) {
      if ((e as NatsError).code !== '404' && !String(e).includes('not found')) throw e;
    }
  }
}
