// Which nats-server can hold camledger's events stream safely. Every
// invariant rests on the server refusing an append whose expected last
// subject sequence is stale. A single server does so under any load. On a
// nats-server 2.9 cluster it does not: against 3 nodes of 2.9.10 with 3
// replicas, all 50 appends sent at once at one expected revision were
// accepted, where exactly one may be (the event store contract's race test),
// and the key probe behind findKeyedAppend was refused before its message
// id was looked at. A replicated events stream on such a server is refused
// outright, rather than run with its concurrency checks gone.

/** The events stream is replicated on a server that does not keep its appends' expected sequences. */
export class UnsafeNatsServer extends Error {
  override readonly name = 'UnsafeNatsServer';
}

/** The first release this project accepts for a replicated events stream. */
const clusteredFrom = [2, 10, 0] as const;

const olderThan = (version: string, floor: readonly number[]): boolean => {
  const parts = version.replace(/^v/, '').split(/[.-]/).slice(0, 3).map(Number);
  for (let i = 0; i < floor.length; i++) {
    const part = parts[i] ?? 0;
    if (!Number.isFinite(part)) return true;
    if (part !== floor[i]) return part < (floor[i] ?? 0);
  }
  return false;
};

/** Throws UnsafeNatsServer for a replicated stream on a server older than 2.10. */
export function assertSafeReplicas(
  serverVersion: string | undefined,
  replicas: number,
  stream: string,
): void {
  if (replicas <= 1) return;
  if (serverVersion !== undefined && !olderThan(serverVersion, clusteredFrom)) return;
  throw new UnsafeNatsServer(
    `${stream} has ${replicas} replicas on nats-server ${serverVersion ?? '(version unknown)'}: ` +
      `before ${clusteredFrom.join('.')} a cluster does not refuse concurrent appends at one expected ` +
      'sequence, so aggregates would fork. Use nats-server 2.10 or later, or 1 replica.',
  );
}
