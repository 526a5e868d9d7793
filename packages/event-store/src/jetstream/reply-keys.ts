// Which keys the reply bucket holds, kept in memory from a watch of the
// bucket, so that a new command (the common case) needs no lookup at all:
// the log is asked only for a key the replica holds, or while the replica
// cannot vouch for being current. docs/architecture.md, exactly-once point 7.
import { consumerOpts, type JetStreamSubscription, type NatsConnection } from 'nats';
import { RecentKeys } from './recent-keys.ts';

export interface ReplyKeysOptions {
  /** The KV bucket's stream (`KV_<bucket>`) and its subject root (`$KV.<bucket>`). */
  readonly stream: string;
  readonly subjectRoot: string;
  /** Keys older than this are gone from the bucket, so they are dropped here too. */
  readonly retentionMs: number;
  /**
   * How old the last proof of being current may be for "absent" to be
   * trusted. A record stored less than this before a command arrives at
   * ANOTHER worker may be missed there (the command is then decided as
   * new); the worker that stored it knows its own keys at once.
   */
  readonly maxStalenessMs?: number;
  /** How often the replica asks the server whether it has seen everything. */
  readonly syncEveryMs?: number;
  /**
   * Bound on memory, in keys (14 bits each; default 50M, about 90 MB): past it
   * the oldest keys are dropped and lookups go to the log until they would
   * have expired.
   */
  readonly maxKeys?: number;
  readonly clock?: () => number;
}

export interface ReplyKeys {
  /** false: the bucket certainly held no record of `token` as of a moment at most `maxStalenessMs` ago. */
  mayHold(token: string): boolean;
  /** A record this process stored: known at once, without waiting for the watch. */
  add(token: string): void;
  close(): Promise<void>;
}

export async function watchReplyKeys(nc: NatsConnection, options: ReplyKeysOptions): Promise<ReplyKeys> {
  const clock = options.clock ?? Date.now;
  const maxStaleness = options.maxStalenessMs ?? 250;
  const syncEvery = options.syncEveryMs ?? 100;
  const maxKeys = options.maxKeys ?? 50_000_000;
  const keyStart = options.subjectRoot.length + 1;

  // Every key stored within the retention; a false alarm costs a lookup, never a wrong answer.
  const keys = new RecentKeys({ retentionMs: options.retentionMs, maxKeys });
  // The last moment at which everything the bucket held had been received.
  let currentAsOf = Number.NEGATIVE_INFINITY;

  // Proof of being current: the stream's last sequence, asked at some moment,
  // has been received by the watch. Every record stored before that moment
  // is then in `keys`. (A consumer's own num_pending would say the same, but
  // for a last-per-subject consumer the server counts it over every subject
  // in the bucket: far too costly ten times a second.)
  let seen = 0;
  const proofs: { askedAt: number; seq: number }[] = [];
  const received = (seq: number) => {
    seen = Math.max(seen, seq);
    while (proofs[0] && proofs[0].seq <= seen) currentAsOf = Math.max(currentAsOf, proofs.shift()!.askedAt);
  };

  const opts = consumerOpts();
  opts.orderedConsumer();
  opts.headersOnly();
  opts.deliverLastPerSubject();
  opts.bindStream(options.stream);
  opts.callback((error, msg) => {
    if (error || !msg) return;
    // Only the key counts: a delete or purge marker is rare (nothing here writes one) and is kept as "ask".
    keys.add(msg.subject.slice(keyStart), msg.info.timestampNanos / 1e6);
    received(msg.seq);
  });
  const sub: JetStreamSubscription = await nc.jetstream().subscribe(`${options.subjectRoot}.>`, opts);
  const jsm = await nc.jetstreamManager();

  let syncing = false;
  const sync = async () => {
    if (syncing) return;
    syncing = true;
    const askedAt = clock();
    try {
      const last = (await jsm.streams.info(options.stream)).state.last_seq;
      proofs.push({ askedAt, seq: last });
      if (proofs.length > 8) proofs.shift();
      received(seen);
    } catch {
      // A lost connection: stay unproven until the next round.
    } finally {
      syncing = false;
    }
  };
  const syncTimer = setInterval(() => void sync(), syncEvery);
  syncTimer.unref();
  const pruneTimer = setInterval(() => keys.prune(clock()), Math.min(60_000, options.retentionMs));
  pruneTimer.unref();
  await sync();

  return {
    mayHold(token) {
      if (keys.has(token)) return true;
      const now = clock();
      return now - currentAsOf > maxStaleness || keys.incompleteAt(now);
    },
    add(token) {
      keys.add(token, clock());
    },
    async close() {
      clearInterval(syncTimer);
      clearInterval(pruneTimer);
      await sub.drain().catch(() => undefined);
    },
  };
}
