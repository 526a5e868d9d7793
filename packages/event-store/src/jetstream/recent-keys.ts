// The set of reply keys stored within the retention, as compact as a
// membership test can be: a chain of Bloom filters, one per period. A key
// that was added is always found (until its filter expires or is dropped for
// room); a key never added is found by mistake about once in a thousand
// tests per filter, which costs the caller one lookup, never a wrong answer.
//
// Why not a Map of digests (what the replica held before): at ~100 bytes a
// key, the 1M keys it could afford were the commands of one week at 1.7 a
// second. Past that it dropped keys and every new command went to the log
// again, which a benchmark of seconds never shows. Here a key costs 14 bits,
// so the same memory holds the keys of a week at ~80 commands a second.
//
// Why by hand: the filters expire whole, period by period, which the Bloom
// filter packages on npm do not offer, and the filter itself is the two
// short loops below.

/** Bits per key and probes per test: about 0.1 % false positives in a full filter. */
const BITS_PER_KEY = 14;
const PROBES = 10;

export interface RecentKeysOptions {
  /** A key is kept at least this long after it was stored (then its filter expires with it). */
  readonly retentionMs: number;
  /** Bound on memory, in keys (BITS_PER_KEY bits each); past it the oldest filter is dropped. */
  readonly maxKeys: number;
  /** How long one filter takes keys; keys stay up to this much past the retention. Default retention / 7. */
  readonly periodMs?: number;
  /** Keys the first filter has room for (default 65,536, at most an eighth of the bound); each next one has room for twice what the last one took. */
  readonly firstCapacity?: number;
}

interface Filter {
  readonly bits: Uint32Array;
  /** Number of bits (a multiple of 32). */
  readonly size: number;
  readonly capacity: number;
  readonly openedAt: number;
  count: number;
  /** When its newest key was stored: the whole filter expires a retention later. */
  newest: number;
}

/** Two independent 32-bit FNV-1a hashes of the key (the second odd), for double hashing. */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, (b | 1) >>> 0];
}

const probe = (f: Filter, h1: number, h2: number, i: number): number =>
  ((h1 + Math.imul(i, h2)) >>> 0) % f.size;

function holds(f: Filter, h1: number, h2: number): boolean {
  for (let i = 0; i < PROBES; i++) {
    const bit = probe(f, h1, h2, i);
    if ((f.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
  }
  return true;
}

export class RecentKeys {
  private readonly filters: Filter[] = [];
  private readonly periodMs: number;
  private readonly firstCapacity: number;
  private allocated = 0;
  /** Keys were dropped for room: until this moment, "absent" may be wrong. */
  private droppedUntil = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: RecentKeysOptions) {
    if (!(options.maxKeys >= 1)) throw new RangeError('RecentKeys needs room for at least one key');
    this.periodMs = options.periodMs ?? options.retentionMs / 7;
    this.firstCapacity = Math.min(
      options.firstCapacity ?? Math.min(1 << 16, Math.ceil(options.maxKeys / 8)),
      options.maxKeys,
    );
  }

  add(key: string, storedAt: number): void {
    const [h1, h2] = hashes(key);
    // A key the open filter already holds takes no more room: a worker adds
    // each of its own keys twice (when it stores the reply, then from the
    // watch), and counting both filled the filters, hence the memory bound,
    // twice as fast.
    const open = this.filters.at(-1);
    if (open && storedAt - open.openedAt < this.periodMs && holds(open, h1, h2)) {
      open.newest = Math.max(open.newest, storedAt);
      return;
    }
    const f = this.filterFor(storedAt);
    for (let i = 0; i < PROBES; i++) {
      const bit = probe(f, h1, h2, i);
      f.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
    f.count++;
    f.newest = Math.max(f.newest, storedAt);
  }

  /** false: the key was certainly not added (or has expired). true: it was, or a rare false alarm. */
  has(key: string): boolean {
    const [h1, h2] = hashes(key);
    for (let n = this.filters.length - 1; n >= 0; n--) if (holds(this.filters[n]!, h1, h2)) return true;
    return false;
  }

  /** Whether keys added before were dropped for room and would not have expired yet at `now`. */
  incompleteAt(now: number): boolean {
    return now < this.droppedUntil;
  }

  /** Forgets the filters whose every key is past the retention. */
  prune(now: number): void {
    while (this.filters[0] && this.filters[0].newest + this.options.retentionMs < now) this.forget();
  }

  /** Bytes the filters take. */
  get bytes(): number {
    return this.filters.reduce((sum, f) => sum + f.bits.byteLength, 0);
  }

  private filterFor(at: number): Filter {
    const open = this.filters.at(-1);
    if (open && open.count < open.capacity && at - open.openedAt < this.periodMs) return open;
    // Room for twice what the last filter took, or less if that is all the
    // bound leaves, but never less than the last one took: then the oldest
    // filters are dropped for room instead.
    const { maxKeys } = this.options;
    const wanted = Math.min(Math.max(this.firstCapacity, 2 * (open?.count ?? 0)), maxKeys);
    const least = Math.min(wanted, Math.max(1, open?.count ?? 1));
    while (this.filters.length > 0 && maxKeys - this.allocated < least) {
      const dropped = this.forget();
      this.droppedUntil = Math.max(this.droppedUntil, dropped.newest + this.options.retentionMs);
    }
    const capacity = Math.min(wanted, maxKeys - this.allocated);
    const size = Math.ceil((capacity * BITS_PER_KEY) / 32) * 32;
    const f: Filter = {
      bits: new Uint32Array(size / 32),
      size,
      capacity,
      openedAt: at,
      count: 0,
      newest: at,
    };
    this.filters.push(f);
    this.allocated += capacity;
    return f;
  }

  private forget(): Filter {
    const f = this.filters.shift()!;
    this.allocated -= f.capacity;
    return f;
  }
}
