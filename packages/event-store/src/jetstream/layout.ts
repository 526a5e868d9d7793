// Names and message layout of the JetStream adapter, in one place so the store,
// the reply log, the namespace cleanup and the benchmark agree.
import { headers, type MsgHdrs } from 'nats';
import { safeToken, streamCategory } from '../shared.ts';

const PREFIX = /^[A-Za-z0-9_-]{1,64}$/;

export const assertPrefix = (prefix: string): string => {
  if (!PREFIX.test(prefix)) {
    throw new TypeError(
      `CAMLEDGER_PREFIX must be 1-64 letters, digits, '_' or '-', got ${JSON.stringify(prefix)}`,
    );
  }
  return prefix;
};

export const eventsStreamName = (prefix: string): string => `${prefix}_events`;
export const eventsSubjectRoot = (prefix: string): string => `${prefix}.events`;
/**
 * Where one stream's appends are published: `<root>.<category>.<stream>`, the
 * category being the stream name up to its first dash (the convention the
 * domain names streams by, and EventStoreDB's category projection too). The
 * category token lets a consumer take one category's appends (`<root>.item.>`)
 * without the server handing it every other. Layout 2; layout 1 had no
 * category token, see `layoutOneSubjects`.
 */
export const eventSubject = (prefix: string, stream: string): string =>
  `${categorySubject(prefix, streamCategory(stream))}.${safeToken(stream)}`;
/** Every append to a stream of one category. */
export const categorySubject = (prefix: string, category: string): string =>
  `${eventsSubjectRoot(prefix)}.${safeToken(category)}`;
/** Matches the subjects of layout 1 (`<root>.<stream>`) and nothing of layout 2. */
export const layoutOneSubjects = (prefix: string): string => `${eventsSubjectRoot(prefix)}.*`;
/**
 * Where `findKeyedAppend` asks the server about a key: a publish here always
 * fails its expected last sequence, so nothing is ever stored, and `$` keeps
 * it off every category (`safeToken` encodes it).
 */
export const keyProbeSubject = (prefix: string): string => `${eventsSubjectRoot(prefix)}.$probe.keys`;
export const repliesBucketName = (prefix: string): string => `${prefix}_replies`;
export const checkpointsBucketName = (prefix: string): string => `${prefix}_checkpoints`;
/** Dead letters of every work queue of a prefix, one subject per queue. */
export const parkedStreamName = (prefix: string): string => `${prefix}_parked`;
export const parkedSubject = (prefix: string, queue: string): string => `${prefix}.parked.${queue}`;
/** The durable consumer of a work queue on the events stream. */
export const workConsumerName = (prefix: string, queue: string): string => `${prefix}_${queue}`;

/**
 * How many messages of one aggregate share one index chunk. Each message names,
 * in a header, every earlier message of its chunk; the first message of a new
 * chunk names the last message of the previous one. Reading an aggregate of m
 * messages then takes 1 + ceil(m / CHUNK) sequential round trips, whatever the
 * size of the whole stream, and the header stays under ~1 KiB.
 */
export const CHUNK = 64;

/** Header names. `Cl-` keeps them apart from the server's `Nats-` ones. */
export const H = {
  firstRevision: 'Cl-Rev',
  lastRevision: 'Cl-Last',
  index: 'Cl-Index',
  chunk: 'Cl-Chunk',
} as const;

/** A message of one aggregate: its stream sequence and the revision of its first event. */
export interface Entry {
  readonly seq: number;
  readonly rev: number;
}

const encodeEntry = (e: Entry): string => `${e.seq.toString(36)}:${e.rev.toString(36)}`;
const decodeEntry = (s: string): Entry => {
  const [seq, rev] = s.split(':');
  return { seq: Number.parseInt(seq!, 36), rev: Number.parseInt(rev!, 36) };
};

/** What the index headers of one message say. */
export interface MessageIndex {
  readonly seq: number;
  readonly firstRev: number;
  readonly lastRev: number;
  /** How many earlier messages of the same chunk the index names. */
  readonly size: number;
  /**
   * The earlier messages of the same chunk, oldest first, as the header
   * spells them. Kept spelled: the next append adds one entry to the string,
   * and a follower that only tracks tails never splits it (parsing it on
   * every followed message was 5 % of a worker's CPU with two workers).
   * `indexEntries` reads it when a stream is walked.
   */
  readonly encodedIndex: string;
  /** The last message of the previous chunk, if any. */
  readonly chunk: Entry | undefined;
}

/** The entries `encodedIndex` spells, oldest first. */
export const indexEntries = (m: Pick<MessageIndex, 'encodedIndex'>): Entry[] =>
  m.encodedIndex ? m.encodedIndex.split(',').map(decodeEntry) : [];

const entriesIn = (encoded: string): number => {
  if (!encoded) return 0;
  let n = 1;
  for (let i = 0; i < encoded.length; i++) if (encoded.charCodeAt(i) === 44 /* , */) n++;
  return n;
};

export const readIndex = (seq: number, h: MsgHdrs): MessageIndex => {
  const encodedIndex = h.get(H.index) ?? '';
  const chunk = h.get(H.chunk);
  return {
    seq,
    firstRev: Number.parseInt(h.get(H.firstRevision), 10),
    lastRev: Number.parseInt(h.get(H.lastRevision), 10),
    size: entriesIn(encodedIndex),
    encodedIndex,
    chunk: chunk ? decodeEntry(chunk) : undefined,
  };
};

/** Index headers for the message that follows `tail` (undefined when the stream is new). */
export const nextIndex = (tail: MessageIndex | undefined, firstRev: number, count: number): NextIndex => {
  const lastRev = firstRev + count - 1;
  if (!tail) return { size: 0, encodedIndex: '', chunk: undefined, firstRev, lastRev };
  const previous = { seq: tail.seq, rev: tail.firstRev };
  if (tail.size + 1 >= CHUNK) return { size: 0, encodedIndex: '', chunk: previous, firstRev, lastRev };
  const added = encodeEntry(previous);
  const encodedIndex = tail.encodedIndex ? `${tail.encodedIndex},${added}` : added;
  return { size: tail.size + 1, encodedIndex, chunk: tail.chunk, firstRev, lastRev };
};

/** The index of the message an append is about to write: everything but its sequence, not known yet. */
export type NextIndex = Omit<MessageIndex, 'seq'>;

/** The server's deduplication header: every append carries one (the key's, or its first event id's). */
export const msgIdHeader = 'Nats-Msg-Id';

export const indexHeaders = (next: NextIndex, msgId: string): MsgHdrs => {
  const h = headers();
  h.set(msgIdHeader, msgId);
  h.set(H.firstRevision, String(next.firstRev));
  h.set(H.lastRevision, String(next.lastRev));
  if (next.size > 0) h.set(H.index, next.encodedIndex);
  if (next.chunk) h.set(H.chunk, encodeEntry(next.chunk));
  return h;
};

/** Upper bound of the bytes headers add to a message, for the size check before publishing. */
export const headerBytes = (h: MsgHdrs): number => {
  let n = 'NATS/1.0\r\n\r\n'.length + 'Nats-Expected-Last-Subject-Sequence: 18446744073709551615\r\n'.length;
  for (const [k, values] of h) for (const v of values) n += k.length + v.length + 4;
  return n;
};

/** The body of one message: every event of one append. */
export interface Body {
  readonly stream: string;
  /**
   * The first event's revision, as in the `Cl-Rev` header. Kept in the body
   * too so that a reader of the whole log need not parse any header: header
   * parsing was a third of a replay's read. Messages written before it have
   * only the header, which readers fall back to.
   */
  readonly rev?: number;
  readonly events: readonly { id: string; type: string; data: unknown; metadata: Record<string, unknown> }[];
}
