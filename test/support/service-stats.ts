import { type NatsConnection, RequestStrategy } from 'nats';

// Which worker served what, as any operator can see it: the NATS services
// API ($SRV.STATS) counts the requests each instance answered. Tests use it
// to know that every worker of a prefix has served a command, without
// looking inside the workers.

/** Requests each worker instance under `prefix` has served so far, by instance id. */
export async function servedPerInstance(
  nc: NatsConnection,
  prefix: string,
  maxWaitMs = 500,
): Promise<Map<string, number>> {
  const client = nc.services.client({ strategy: RequestStrategy.Timer, maxWait: maxWaitMs });
  const served = new Map<string, number>();
  // No service name: the name is the worker's business; the prefix in the metadata is ours.
  for await (const s of await client.stats()) {
    if (s.metadata?.prefix !== prefix) continue;
    served.set(
      s.id,
      (s.endpoints ?? []).reduce((n, e) => n + e.num_requests, 0),
    );
  }
  return served;
}

/** How many more requests each instance served in `after` than in `before`. */
export function servedSince(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [id, n] of after) delta.set(id, n - (before.get(id) ?? 0));
  return delta;
}

/**
 * Sends `send()` one at a time until every one of `instances` workers has
 * served at least one of them (checked on $SRV.STATS after each batch), so
 * whatever that command reads is now in every worker's state. The queue group
 * picks a member at random; a batch of 8 misses one of two workers with a
 * chance of 1 in 128, and we try up to 6 batches.
 */
export async function untilEveryInstanceServed(
  nc: NatsConnection,
  prefix: string,
  instances: number,
  send: () => Promise<unknown>,
): Promise<Map<string, number>> {
  const before = await servedPerInstance(nc, prefix);
  let delta = new Map<string, number>();
  for (let batch = 0; batch < 6; batch++) {
    for (let i = 0; i < 8; i++) await send();
    delta = servedSince(before, await servedPerInstance(nc, prefix));
    if (delta.size >= instances && [...delta.values()].every((n) => n > 0)) return delta;
  }
  throw new Error(`not every worker served a command: ${JSON.stringify([...delta])}`);
}
