import type { FailureName, Rejected } from '@camledger/domain';
import { reject } from '@camledger/domain';
import type { z } from 'zod';
import type { Sql } from '../store/port.ts';

// A query is a small module: its name on the wire, the zod schema of its
// payload (built from the domain's parameter builders, so a bad parameter
// gets the code a command would give it) and a function that reads rows.

export interface QueryContext {
  readonly db: Sql;
  /** The registered user asking (checked before the query runs). */
  readonly actor: string;
  /** How long an item stays restorable (`trash.get_list` shows until when). */
  readonly trashRetentionMs: number;
}

export type QueryResult = Readonly<Record<string, unknown>>;
export type QueryAnswer = { readonly ok: true; readonly result: QueryResult } | Rejected;

export interface Query<S extends z.ZodType = z.ZodType> {
  /** `<object>.<action>`, as the subject spells it. */
  readonly name: string;
  readonly payload: S;
  run(ctx: QueryContext, payload: z.output<S>): Promise<QueryAnswer>;
}

export const defineQuery = <S extends z.ZodType>(query: Query<S>): Query => query as unknown as Query;

export const found = (result: QueryResult): QueryAnswer => ({ ok: true, result });

/** A rejection naming the id the client sent, as the commands' rejections do. */
export const refused = (name: FailureName, details: Readonly<Record<string, unknown>>): Rejected =>
  reject(name, details);

/** `yyyy-mm-dd hh:mm:ss` UTC, the public API's spelling of a stored ISO date-time (§4). */
export const apiDatetime = (iso: string): string => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 19).replace('T', ' ') : iso;
};

/** The user as other users see them beside a post, a member or a message. */
export const person = (userId: string, username: unknown) => ({
  user_id: userId,
  username: typeof username === 'string' ? username : null,
});
