import {
  type Aggregate,
  aggregatesByCategory,
  categoryOf,
  commandIdMemoryMs,
  type DomainEvent,
  fold,
  type Loaded,
  type ResultIds,
  type SuccessCode,
  streamName,
  upcast,
} from '@camledger/domain';
import type { EventStore, RecordedEvent } from '@camledger/event-store';
import { logPosition } from '../log-position.ts';
import { approximateSize } from './approximate-size.ts';

/** How long the reply log and the streams' key index remember a command (DOMAIN.md §2). */
export const replyRetentionMs = commandIdMemoryMs;

/** The store refuses a command key used again by itself, for at least as long as the reply log would. */
export const storeRemembersKeys = (store: Pick<EventStore, 'keyMemoryMs'>): boolean =>
  (store.keyMemoryMs ?? 0) >= replyRetentionMs;

/**
 * How many command keys one stream's index keeps where the store remembers
 * keys itself: a busy stream (one account's credits) would otherwise index
 * every command of 7 days, about 340 bytes each, past any budget. A retry
 * whose key was let go is decided again and refused by the store's key
 * memory (KeyAlreadyUsed), which answers the first reply: one append's
 * round trip more, and only for a retry older than this many appends.
 */
export const keysPerStreamWhereStoreRemembers = 10_000;

/**
 * What an accepted command answered, read back from the last event of its
 * append (`metadata.commandKey` and `metadata.reply`), so a retry that finds
 * the append answers as the first time.
 */
export interface KeyedReply {
  readonly code: SuccessCode;
  readonly result: ResultIds;
  readonly revision: number;
  readonly position: number;
  /** Milliseconds since the epoch, from the event's `occurredAt`: the index forgets keys older than the retention. */
  readonly occurredAt: number;
  /** The subject and payload the command was asked with, hashed (absent for follow-ups and older events). */
  readonly fingerprint?: string;
}

/** The command key and reply an append's last event carries (see decideAndAppend), if it carries them. */
export function keyedReplyOf(event: RecordedEvent): { key: string; reply: KeyedReply } | undefined {
  const key = event.metadata.commandKey;
  const reply = event.metadata.reply as { code: SuccessCode; result: ResultIds } | undefined;
  if (typeof key !== 'string' || !reply) return undefined;
  const fingerprint = event.metadata.commandFingerprint;
  return {
    key,
    reply: {
      code: reply.code,
      result: reply.result,
      revision: event.revision,
      position: logPosition(event.position),
      occurredAt: Date.parse(String(event.metadata.occurredAt)),
      ...(typeof fingerprint === 'string' ? { fingerprint } : {}),
    },
  };
}

/** A state as the cache holds it, with the command keys that wrote it within the retention. */
export interface CachedState<S> extends Loaded<S> {
  readonly keys: ReadonlyMap<string, KeyedReply>;
  /** False when the state was answered from memory without asking the store for newer events. */
  readonly verified: boolean;
}

export interface StateCacheOptions {
  /** Approximate memory the cached states and key indexes may take (default 256 MiB). */
  readonly maxBytes?: number;
  /** How long a command key stays in a stream's index, by the event's `occurredAt` (default 7 days). */
  readonly keyRetentionMs?: number;
  /**
   * `every-read` (default): each read asks the store for events after the
   * cached revision. `on-demand`: a cached state is answered from memory and
   * only reads asked with `refresh` go to the store; the expected revision of
   * the append still catches a stale state, and the runtime refreshes before
   * answering anything but an append (see decideAndAppend).
   */
  readonly revalidate?: 'every-read' | 'on-demand';
  /** The clock the key retention is measured by: the runtime's, so tests with a fixed clock keep their keys. */
  readonly clock?: () => number;
  /** At most this many keys per stream, the oldest let go first (default: no bound but the retention). */
  readonly maxKeysPerStream?: number;
}

interface Entry {
  readonly stream: string;
  /** How this stream folds: remembered from the read, so appends need no lookup. */
  // biome-ignore lint/suspicious/noExplicitAny: one cache holds states of every aggregate
  readonly aggregate: Aggregate<any, any>;
  state: unknown;
  revision: number;
  /** Command key -> its reply, for every append within the retention, oldest first. */
  readonly keys: Map<string, KeyedReply>;
  /** Size of the state when last measured, what was folded since, and the key index. */
  measuredBytes: number;
  grownBytes: number;
  keyBytes: number;
  /** What this entry counts for in the cache's total. */
  counted: number;
}

/**
 * Rough bytes of bookkeeping per cached stream and per indexed command key.
 * A key (two 64-character hex strings, the reply object, the Map slot) was
 * measured at about 340 bytes in a heap snapshot of 50,000 of them.
 */
const entryOverhead = 128;
const keyOverhead = 340;

/**
 * A cache of folded aggregate states, bounded by their approximate size, so
 * a command does not replay its aggregate's history.
 *
 * It never runs ahead of the store: an entry folds an event only when it is
 * the next revision after the one it holds. Two reads of one stream that
 * overlap both fetch "everything after revision r"; the second to finish
 * skips what the first already folded instead of counting it twice (the bug
 * that once let two workers spend more credits than an account held). An
 * append this process made is folded the same way.
 *
 * Beside each state it keeps the index of command keys -> reply stamped on
 * the last event of each append within the retention, built by the same
 * fold: a retry of an accepted command is recognised by the streams it reads,
 * however many appends followed it.
 */
export class StateCache {
  private readonly entries = new Map<string, Entry>();
  private total = 0;
  private readonly catchingUp = new WeakSet<Entry>();
  private readonly maxBytes: number;
  private readonly retentionMs: number;
  private readonly alwaysRevalidate: boolean;
  private readonly clock: () => number;
  private readonly maxKeys: number;

  constructor(
    private readonly store: EventStore,
    options: StateCacheOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.retentionMs = options.keyRetentionMs ?? replyRetentionMs;
    this.alwaysRevalidate = (options.revalidate ?? 'every-read') === 'every-read';
    this.clock = options.clock ?? Date.now;
    this.maxKeys = options.maxKeysPerStream ?? Number.POSITIVE_INFINITY;
  }

  /** How many streams are cached. */
  get size(): number {
    return this.entries.size;
  }

  /** The approximate bytes all cached entries take. */
  get bytes(): number {
    return this.total;
  }

  async read<S, E extends DomainEvent>(
    aggregate: Aggregate<S, E>,
    id: string,
    options: { readonly refresh?: boolean } = {},
  ): Promise<CachedState<S>> {
    const stream = streamName(aggregate.category, id);
    const cached = this.entries.get(stream);
    if (cached && !options.refresh && !this.alwaysRevalidate) {
      this.keep(cached);
      return snapshot(cached, false);
    }
    const entry = cached ?? this.newEntry(stream, aggregate);
    await this.readAfter(entry);
    this.keep(entry);
    return snapshot(entry, true);
  }

  /**
   * Folds events this process has just appended, so the next command need
   * not read them back. Events the entry already holds are skipped; a stream
   * not cached right below them is dropped instead, to be read afresh.
   */
  applyAppended(stream: string, events: readonly RecordedEvent[]): void {
    const held = this.entries.get(stream);
    const entry = held ?? this.started(stream, events);
    if (!entry) return;
    if (!this.foldNext(entry, events)) this.drop(entry);
    else if (!held) this.keep(entry);
    else this.recount(entry);
  }

  /**
   * A new entry for an append that created its stream (revision 0 on): the
   * append is then the whole stream, so its fold is exact, and the next
   * command on it (a claim's follow-up, the next event of a new item) needs
   * no read. Any other stream not cached is left to be read when asked for.
   */
  private started(stream: string, events: readonly RecordedEvent[]): Entry | undefined {
    if (events[0]?.revision !== 0) return undefined;
    const aggregate = aggregatesByCategory.get(categoryOf(stream));
    return aggregate ? this.newEntry(stream, aggregate) : undefined;
  }

  /**
   * Folds an append another process made, as a follower of the log receives
   * it. Kept only where it continues what the entry holds; a stream not
   * cached, or a gap (a delivery missed), is left as it is: an exact fold,
   * only behind, which the next append to it finds out (expected revision).
   * This process's own appends come back too and are skipped as held.
   */
  applyFollowed(stream: string, events: readonly RecordedEvent[]): void {
    const entry = this.entries.get(stream);
    if (!entry) return;
    if (!this.foldNext(entry, events)) void this.catchUp(entry);
    // What others append grows entries too, and a worker that mostly
    // follows reads little: the budget is kept here as well, not only when
    // a read comes.
    this.recount(entry);
  }

  /**
   * A follower saw a gap (an append it missed, typically one that landed
   * while this entry's first read was on its way): read what came after,
   * now and off any command's path, rather than let the next command's
   * append be refused and mark the stream hot. One read per entry at a time.
   */
  private async catchUp(entry: Entry): Promise<void> {
    if (this.catchingUp.has(entry)) return;
    this.catchingUp.add(entry);
    try {
      await this.readAfter(entry);
      if (this.entries.get(entry.stream) === entry) this.recount(entry);
    } catch {
      // A failed read leaves the entry behind, as before; the next append finds out.
    } finally {
      this.catchingUp.delete(entry);
    }
  }

  /** Reads what came after the entry's revision and folds it. */
  private async readAfter(entry: Entry): Promise<void> {
    const fresh = await this.store.readStream(entry.stream, { fromRevision: entry.revision + 1 });
    // While this read was away, another may have folded some of `fresh` into the same entry.
    this.foldNext(entry, fresh);
  }

  invalidate(stream: string): void {
    const entry = this.entries.get(stream);
    if (entry) this.drop(entry);
  }

  private newEntry(stream: string, aggregate: Entry['aggregate']): Entry {
    return {
      stream,
      aggregate,
      state: aggregate.initial,
      revision: -1,
      keys: new Map(),
      measuredBytes: 0,
      grownBytes: 0,
      keyBytes: 0,
      counted: 0,
    };
  }

  /**
   * Folds the events that continue the entry exactly (revision + 1, + 2, …),
   * skipping those at or below the revision it holds. Answers false when a
   * gap was met: the events after it are left unfolded.
   */
  private foldNext(entry: Entry, events: readonly RecordedEvent[]): boolean {
    const next: RecordedEvent[] = [];
    let expected = entry.revision + 1;
    let contiguous = true;
    for (const event of events) {
      if (event.revision < expected) continue;
      if (event.revision > expected) {
        contiguous = false;
        break;
      }
      next.push(event);
      expected++;
    }
    if (next.length === 0) return contiguous;
    entry.state = fold(entry.aggregate, next.map(upcast), entry.state);
    entry.revision = expected - 1;
    for (const event of next) {
      entry.grownBytes += approximateSize(event.data);
      this.index(entry, event);
    }
    this.prune(entry);
    // Measuring a large state on every fold would cost as much as the fold;
    // measuring it again once what was folded since outweighs it keeps the
    // estimate within a factor of two, at a constant cost per byte folded.
    if (entry.grownBytes > entry.measuredBytes) {
      entry.measuredBytes = approximateSize(entry.state);
      entry.grownBytes = 0;
    }
    return contiguous;
  }

  private index(entry: Entry, event: RecordedEvent): void {
    const keyed = keyedReplyOf(event);
    if (!keyed || !(keyed.reply.occurredAt > this.clock() - this.retentionMs)) return;
    const { key, reply } = keyed;
    if (!entry.keys.has(key)) entry.keyBytes += keyOverhead + approximateSize(reply.result);
    entry.keys.set(key, reply);
    for (const [oldest, its] of entry.keys) {
      if (entry.keys.size <= this.maxKeys) break;
      entry.keys.delete(oldest);
      entry.keyBytes -= keyOverhead + approximateSize(its.result);
    }
  }

  /** Keys older than the retention go, oldest first (appends to one stream come in time order). */
  private prune(entry: Entry): void {
    const horizon = this.clock() - this.retentionMs;
    for (const [key, reply] of entry.keys) {
      if (reply.occurredAt > horizon) break;
      entry.keys.delete(key);
      entry.keyBytes -= keyOverhead + approximateSize(reply.result);
    }
  }

  /**
   * Marks the entry most recently used and counts its size; the least
   * recently used go while the total is over the budget. An entry larger than
   * the whole budget stays until the next one is kept, so a command on it
   * still gets its state.
   */
  private keep(entry: Entry): void {
    const current = this.entries.get(entry.stream);
    // A read that overlapped an eviction may bring back an older object for
    // the stream; the entry further ahead wins, both being exact folds.
    if (current && current !== entry && current.revision >= entry.revision) {
      this.entries.delete(entry.stream);
      this.entries.set(entry.stream, current);
      return;
    }
    if (current && current !== entry) this.drop(current);
    this.entries.delete(entry.stream);
    this.entries.set(entry.stream, entry);
    this.recount(entry);
  }

  /**
   * Counts the entry's size as it is now and keeps the cache within its
   * budget, sparing the entry: a command may be deciding on it (one larger
   * than the whole budget stays until the next one is kept).
   */
  private recount(entry: Entry): void {
    this.account(entry);
    this.trim(entry);
  }

  /** Drops the least recently used entries, all but `spare`, until the cache is within its budget. */
  private trim(spare?: Entry): void {
    // Checked before iterating: the map's front is where moved and dropped
    // entries leave their holes, which finding the oldest would walk over.
    if (this.total <= this.maxBytes) return;
    for (const oldest of this.entries.values()) {
      if (this.total <= this.maxBytes) break;
      if (oldest !== spare) this.drop(oldest);
    }
  }

  private account(entry: Entry): void {
    const bytes =
      entryOverhead + entry.stream.length + entry.measuredBytes + entry.grownBytes + entry.keyBytes;
    this.total += bytes - entry.counted;
    entry.counted = bytes;
  }

  private drop(entry: Entry): void {
    if (this.entries.get(entry.stream) !== entry) return;
    this.entries.delete(entry.stream);
    this.total -= entry.counted;
    entry.counted = 0;
  }
}

function snapshot<S>(entry: Entry, verified: boolean): CachedState<S> {
  // State and revision change together, synchronously: this pair is consistent.
  return {
    stream: entry.stream,
    state: entry.state as S,
    revision: entry.revision,
    keys: entry.keys,
    verified,
  };
}
