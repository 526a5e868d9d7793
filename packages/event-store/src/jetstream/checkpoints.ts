// Checkpoints in a JetStream KV bucket of the namespace, one key per reader.
import { type NatsConnection, StringCodec } from 'nats';
import type { CheckpointStore } from '../port.ts';
import { assertPosition, safeToken } from '../shared.ts';
import { assertPrefix, checkpointsBucketName } from './layout.ts';

const codec = StringCodec();

export async function jetStreamCheckpoints(
  nc: NatsConnection,
  options: { readonly prefix: string; readonly replicas: number },
): Promise<CheckpointStore> {
  const kv = await nc.jetstream().views.kv(checkpointsBucketName(assertPrefix(options.prefix)), {
    history: 1,
    replicas: options.replicas,
  });
  return {
    async load(name) {
      const entry = await kv.get(safeToken(name));
      if (entry?.operation !== 'PUT' || entry.length === 0) return undefined;
      const position = Number(codec.decode(entry.value));
      // A value that is not a position (an older string format) reads as no checkpoint, not a crash.
      return Number.isSafeInteger(position) && position >= 0 ? position : undefined;
    },
    async save(name, position) {
      await kv.put(safeToken(name), codec.encode(String(assertPosition(position))));
    },
    async close() {},
  };
}
