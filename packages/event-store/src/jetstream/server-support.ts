// Which nats-server can hold camledger's events stream safely when it is
// replicated. Every invariant rests on the server refusing an append whose
// expected last subject sequence is stale, and exactly-once on a refused
// append leaving its message id (the command key) free for the retry.
// - 2.9, measured: against 3 nodes of 2.9.10 with 3 replicas, all 50 appends
//   sent at once at one expected revision were accepted, where exactly one
//   may be (the event store contract's race test), and the key probe behind
//   findKeyedAppend was refused before its message id was looked at.
// - 2.10 and 2.11, read in the server's source (processClusteredInboundMsg,
//   v2.10.29 and v2.11.17): the message id is recorded, with sequence 0,
//   before the expected sequence is checked, and a refusal leaves it there.
//   The command's next attempt, under the same key, is then answered
//   "duplicate message conflict" for the whole duplicate window (7 days).
// - 2.12 stages the id and records it only once every check passed.
// A single server does both right on every version. A replicated events
// stream on an older server is refused outright, rather than run with its
// concurrency checks or its retries broken.

/** The events stream is replicated on a server that does not keep its appends' expected sequences. */
export class UnsafeNatsServer extends Error {
  override readonly name = 'UnsafeNatsServer';
}

/** The first release this project accepts for a replicated events stream. */
const clusteredFrom = [2, 12, 0] as const;

const olderThan = (version: string, floor: readonly number[]): boolean => {
  const parts = version.replace(/^v/, '').split(/[.-]/).slice(0, 3).map(Number);
  for (let i = 0; i < floor.length; i++) {
    const part = parts[i] ?? 0;
    if (!Number.isFinite(part)) return true;
    if (part !== floor[i]) return part < (floor[i] ?? 0);
  }
  return false;
};

/** Throws UnsafeNatsServer for a replicated stream on a server older than 2.12. */
export function assertSafeReplicas(
  serverVersion: string | undefined,
  replicas: number,
  stream: string,
): void {
  if (replicas <= 1) return;
  if (serverVersion !== undefined && !olderThan(serverVersion, clusteredFrom)) return;
  throw new UnsafeNatsServer(
    `${stream} has ${replicas} replicas on nats-server ${serverVersion ?? '(version unknown)'}: ` +
      `before ${clusteredFrom.join('.')} a cluster either lets concurrent appends at one expected sequence ` +
      'through (2.9) or keeps the key of a refused append, failing its retry (2.10, 2.11). ' +
      'Use nats-server 2.12 or later, or 1 replica.',
  );
}
