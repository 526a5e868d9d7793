/**
 * What a query answers on the wire (DOMAIN.md §4), read by the typed client
 * and written by the query server: `position` is how far the projections had
 * applied when it read; `stale` says the wait for `min_position` ran out, so
 * the rows may be older than asked.
 */
export interface QueryAccepted {
  readonly ok: true;
  readonly code: 10000;
  readonly result: Readonly<Record<string, unknown>>;
  readonly position: number;
  readonly stale?: true;
}

export interface QueryRejected {
  readonly ok: false;
  readonly code: number;
  readonly error: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly stale?: true;
}

export type QueryReply = QueryAccepted | QueryRejected;
