import {
  type Aggregate,
  type DomainEvent,
  type Loaded,
  type StateReader,
  streamName,
} from '@camledger/domain';
import type { KeyedReply, StateCache } from './state-cache.ts';

/**
 * The StateReader one attempt of one command gets: it reads through the
 * cache and notes every stream it read, so the runtime can look for the
 * command's own earlier effect in exactly those streams, and can tell
 * whether any state came from memory unverified.
 */
export class AttemptReader implements StateReader {
  private readonly seen = new Map<string, ReadonlyMap<string, KeyedReply>>();
  private readonly unverified = new Set<string>();

  constructor(
    private readonly cache: StateCache,
    /** Ask the store for newer events on every read, whatever the cache's mode. */
    private readonly refresh = false,
    /**
     * Streams to ask the store about even when memory holds them: those
     * another writer conflicted on lately, where memory is likely behind and
     * one read costs less than a refused append and its reload.
     */
    private readonly readFresh: (stream: string) => boolean = () => false,
  ) {}

  async read<S, E extends DomainEvent>(aggregate: Aggregate<S, E>, id: string): Promise<Loaded<S>> {
    const refresh = this.refresh || this.readFresh(streamName(aggregate.category, id));
    const { keys, verified, ...loaded } = await this.cache.read(aggregate, id, { refresh });
    this.seen.set(loaded.stream, keys);
    if (!verified) this.unverified.add(loaded.stream);
    return loaded;
  }

  /** Whether some state this attempt decided on was answered from memory without asking the store. */
  get readUnverified(): boolean {
    return this.unverified.size > 0;
  }

  /**
   * Whether a state other than `written`'s came from memory unverified. The
   * append's expected revision checks only the stream it writes; a state the
   * decision merely read (the camera a live view starts on, the membership a
   * post relies on) must be fresh before an acceptance is appended.
   */
  readUnverifiedBesides(written: string): boolean {
    for (const stream of this.unverified) if (stream !== written) return true;
    return false;
  }

  /** The stream key index step: this command key's reply, if a stream read holds its append. */
  earlierReply(key: string): { stream: string; reply: KeyedReply } | undefined {
    for (const [stream, keys] of this.seen) {
      const reply = keys.get(key);
      if (reply) return { stream, reply };
    }
    return undefined;
  }
}
