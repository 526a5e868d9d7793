// Checkpoints in a JetStream KV bucket of the namespace, one key per reader.
import { type NatsConnection, StringCodec } from 'nats';
import type { CheckpointStore } from '../port.ts';
import { safeToken } from '../shared.ts';
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
      return entry && entry.operation === 'PUT' && entry.length > 0 ? codec.decode(entry.value) : undefined;
    },
    async save(name, position) {
      await kv.put(safeToken(name), codec.encode(position));
    },
    async close() {},
  };
}
