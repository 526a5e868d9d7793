import {
  type Aggregate,
  type DomainEvent,
  fold,
  type Loaded,
  type StateReader,
  type SuccessCode,
  streamName,
} from '@camledger/domain';
import type { EventStore, RecordedEvent } from '@camledger/event-store';
import { toDomainEvent } from './upcast.ts';

/** What an earlier accepted command answered, kept beside the state it wrote (see `recentReplies`). */
export interface RecentReply {
  readonly code: SuccessCode;
  readonly result: Readonly<Record<string, string>>;
  readonly revision: number;
}

interface Entry {
  /** How this stream folds: remembered from the read, so appends need no lookup. */
  // biome-ignore lint/suspicious/noExplicitAny: one cache holds states of every aggregate
  readonly aggregate: Aggregate<any, any>;
  state: unknown;
  revision: number;
  /** The last few commands that wrote this stream, by command key, newest last. */
  recent: Map<string, RecentReply>;
}

const recentPerStream = 16;

/**
 * A bounded cache of aggregate states so a command does not replay its
 * aggregate's whole history. The cache is never trusted blindly: every read
 * asks the store for the events after the cached revision (one round trip,
 * usually empty), so a state written by another worker is seen before a
 * decision, and a stale entry costs at worst a conflict and a reload.
 *
 * It also remembers which command keys wrote each stream recently, read from
 * the events' metadata: a command retried after a crash between its append
 * and its reply finds its own effect there and answers as the first time.
 */
export class StateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: EventStore,
    private readonly capacity = 10_000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async read<S, E extends DomainEvent>(
    aggregate: Aggregate<S, E>,
    id: string,
  ): Promise<Loaded<S> & { recent: ReadonlyMap<string, RecentReply> }> {
    const stream = streamName(aggregate.category, id);
    const cached = this.entries.get(stream);
    const fromRevision = cached ? cached.revision + 1 : 0;
    const fresh = await this.store.readStream(stream, { fromRevision });
    const entry: Entry = cached ?? { aggregate, state: aggregate.initial, revision: -1, recent: new Map() };
    this.fold(entry, fresh);
    this.remember(stream, entry);
    return { stream, state: entry.state as S, revision: entry.revision, recent: entry.recent };
  }

  /**
   * Folds events this worker has just appended, so the next command need not
   * read them back. A stream not cached at the revision they follow is
   * dropped instead, to be read afresh.
   */
  applyAppended(stream: string, events: readonly RecordedEvent[]): void {
    const entry = this.entries.get(stream);
    const first = events[0];
    if (!entry || !first || first.revision !== entry.revision + 1) {
      this.entries.delete(stream);
      return;
    }
    this.fold(entry, events);
  }

  invalidate(stream: string): void {
    this.entries.delete(stream);
  }

  private fold(entry: Entry, events: readonly RecordedEvent[]): void {
    if (events.length === 0) return;
    entry.state = fold(entry.aggregate, events.map(toDomainEvent), entry.state);
    entry.revision = (events.at(-1) as RecordedEvent).revision;
    for (const recorded of events) {
      const reply = recorded.metadata.reply as
        | { code: SuccessCode; result: Record<string, string> }
        | undefined;
      const key = recorded.metadata.commandKey;
      if (!reply || typeof key !== 'string') continue;
      entry.recent.delete(key);
      entry.recent.set(key, { code: reply.code, result: reply.result, revision: recorded.revision });
      if (entry.recent.size > recentPerStream)
        entry.recent.delete(entry.recent.keys().next().value as string);
    }
  }

  /** Least recently used goes first once the cache is full. */
  private remember(stream: string, entry: Entry): void {
    this.entries.delete(stream);
    this.entries.set(stream, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/**
 * The StateReader one attempt of one command gets: it reads through the
 * cache and notes every stream it read, so the pipeline can look for the
 * command's own earlier effect in exactly those streams.
 */
export class AttemptReader implements StateReader {
  readonly seen = new Map<string, ReadonlyMap<string, RecentReply>>();

  constructor(private readonly cache: StateCache) {}

  async read<S, E extends DomainEvent>(aggregate: Aggregate<S, E>, id: string): Promise<Loaded<S>> {
    const { recent, ...loaded } = await this.cache.read(aggregate, id);
    this.seen.set(loaded.stream, recent);
    return loaded;
  }

  /** The earlier reply of this command key, if one of the streams read shows its effect. */
  earlierReply(key: string): { stream: string; reply: RecentReply } | undefined {
    for (const [stream, recent] of this.seen) {
      const reply = recent.get(key);
      if (reply) return { stream, reply };
    }
    return undefined;
  }
}
