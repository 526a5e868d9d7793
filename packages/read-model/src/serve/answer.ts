import {
  DEFAULT_WAIT_MS,
  envelopeSchema,
  failures,
  namesNoUser,
  QUERY_READ_DEADLINE_MS,
  type QueryRejected,
  type QueryReply,
  type Rejected,
  readYourWrites,
  reject,
  toRejection,
} from '@camledger/domain';
import { readCheckpointIfInstalled } from '../projector/apply-batch.ts';
import { queries } from '../queries/index.ts';
import type { Query } from '../queries/query.ts';
import type { ReadStore } from '../store/port.ts';
import type { AppliedPosition } from './applied-position.ts';

// One query from the wire to its reply (DOMAIN.md §4), whatever the
// transport: envelope (128), query name (16), parameters (the generic codes,
// 3009, 5004), the read-your-writes wait, the actor (8, decided after the
// wait so a user registered a moment ago is known), then the query itself.

export interface QueryDeps {
  readonly store: ReadStore;
  readonly applied: AppliedPosition;
  readonly trashRetentionMs: number;
  /** How long the reads may take past the read-your-writes wait (default readDeadlineMs). */
  readonly readDeadlineMs?: number;
}

/**
 * How long an answer's reads may take, past its read-your-writes wait. A
 * read store that stops answering without closing (a frozen server, a lock
 * nobody releases) would otherwise hold the query until it answers again,
 * long after the caller gave up (the typed client waits 5 s a try). Past
 * it the query fails (the server answers 1500); the read itself is left to
 * finish or fail on its own.
 */
export const readDeadlineMs = QUERY_READ_DEADLINE_MS;

export class ReadStoreTimeout extends Error {
  override readonly name = 'ReadStoreTimeout';
}

function withinDeadline<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ReadStoreTimeout(`the read store did not answer within ${ms} ms`)),
      ms,
    );
  });
  // A failure after the deadline has nobody left to hear it.
  work.catch(() => {});
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export type { QueryAccepted, QueryRejected, QueryReply } from '@camledger/domain';

/** The envelope of §2, where a query may leave out `command_id` and `payload`. */
const queryEnvelope = envelopeSchema.partial({ command_id: true, payload: true });

export const rejectedReply = (rejection: Rejected, stale = false): QueryRejected => ({
  ok: false,
  code: rejection.code,
  error: rejection.name,
  message: rejection.message,
  details: rejection.details,
  ...(stale ? { stale: true as const } : {}),
});

export const serverErrorReply = (correlationId?: string): QueryRejected => ({
  ok: false,
  code: failures.ServerError.code,
  error: 'ServerError',
  message: failures.ServerError.message,
  details: correlationId ? { correlation_id: correlationId } : {},
});

/**
 * The id a caller quotes for this query, read again from its body: the
 * envelope's `correlation_id`, else its `command_id`, when either is valid.
 * Only for the reply and log line of a failure nobody expected.
 */
export function correlationIdIn(body: Uint8Array | string): string | undefined {
  try {
    const envelope = queryEnvelope.safeParse(parseBody(body));
    return envelope.success ? correlationOf(envelope.data) : undefined;
  } catch {
    return undefined;
  }
}

/** The id a caller quotes: `correlation_id`, else `command_id`. */
const correlationOf = (envelope: { correlation_id?: string | undefined; command_id?: string | undefined }) =>
  envelope.correlation_id ?? envelope.command_id;

function parseBody(body: Uint8Array | string): unknown {
  const text = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: true }).decode(body);
  return JSON.parse(text);
}

/** `name` is `<object>.<action>` taken from the subject. */
export async function answerQuery(
  deps: QueryDeps,
  name: string,
  body: Uint8Array | string,
): Promise<QueryReply> {
  let json: unknown;
  try {
    json = parseBody(body);
  } catch {
    return rejectedReply(reject('MissingParameter', { param: 'body', reason: 'not JSON in UTF-8' }));
  }
  const envelope = queryEnvelope.safeParse(json);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    return rejectedReply(
      reject('MissingParameter', {
        param: issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'body',
        reason: issue?.message ?? 'invalid envelope',
      }),
    );
  }
  const query = queries.get(name);
  if (!query) return rejectedReply(reject('NoActionSpecified', { query: name, reason: 'unknown query' }));
  const payload = envelope.data.payload ?? {};
  const wait = readYourWrites.safeParse(payload);
  if (!wait.success) return rejectedReply(toRejection(wait.error));
  const parsed = query.payload.safeParse(payload);
  if (!parsed.success) return rejectedReply(toRejection(parsed.error));

  const min = wait.data.min_position;
  const waitMs = min === undefined ? 0 : (wait.data.wait_ms ?? DEFAULT_WAIT_MS);
  const read = await withinDeadline(
    waitMs + (deps.readDeadlineMs ?? readDeadlineMs),
    readAnswer(deps, query, envelope.data.actor, parsed.data, min, waitMs),
  );
  // Told by the rows read, not by the wait: a rebuild may have moved the
  // checkpoint back since the wait saw it reached.
  const staleAt = (position: number) => min !== undefined && position < min;
  if (!read) {
    // No projector has installed the tables yet (docs/decisions.md): nothing
    // is applied, so a wait for any write ran out, and what needs rows fails.
    return { ...serverErrorReply(correlationOf(envelope.data)), ...(staleAt(0) ? { stale: true } : {}) };
  }
  const { position, answer } = read;
  const stale = staleAt(position);
  if (!answer.ok) return rejectedReply(answer, stale);
  return {
    ok: true,
    code: 10000,
    result: answer.result,
    position,
    ...(stale ? { stale: true as const } : {}),
  };
}

/**
 * The read-your-writes wait, then the answer's reads in one committed state:
 * the position it names, the actor and every statement of the query,
 * however the projector commits meanwhile (a page and its total agree; the
 * position is exactly the rows'). The checkpoint is read first, before any
 * other table: a rebuild locks it first too (holdReadersOff), so the two
 * never wait on each other. Undefined: no projector installed the tables yet.
 */
async function readAnswer(
  deps: QueryDeps,
  query: Query,
  actor: string,
  payload: unknown,
  min: number | undefined,
  waitMs: number,
): Promise<{ position: number; answer: Awaited<ReturnType<Query['run']>> } | undefined> {
  if (min !== undefined) await deps.applied.waitFor(min, waitMs);
  return deps.store.snapshot(async (db) => {
    const checkpoint = await readCheckpointIfInstalled(db);
    if (checkpoint === 'no tables') return undefined;
    const position = checkpoint ?? 0;
    const known = namesNoUser(actor)
      ? []
      : await db.query('SELECT 1 FROM accounts WHERE user_id = $1', [actor]);
    if (known.length === 0) return { position, answer: reject('UnknownUser', { param: 'actor' }) };
    const context = { db, actor, trashRetentionMs: deps.trashRetentionMs };
    return { position, answer: await query.run(context, payload as never) };
  });
}
