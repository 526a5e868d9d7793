import { type QueryInput, type QueryName, type QueryReply, queryPayloads, waitMsOf } from '@camledger/domain';
import type { NatsConnection } from 'nats';
import { askWithRetries, type NoAnswer } from './ask.ts';
import { replyOf } from './outcome.ts';
import { outgoingHeaders } from './trace-context.ts';

// The queries of DOMAIN.md §4 on `<prefix>.query.<object>.<action>`:
// `client.query.item.get_list({ folder_id: 0, min_position }, { actor })`,
// one method per query, its payload typed from the domain's query schemas
// (the ones the query server validates with).

export interface QueryOptions {
  /** The registered user asking (required: every query answers for someone). */
  readonly actor: string;
  readonly correlationId?: string;
  readonly traceparent?: string;
}

/** What a query answers (§4): the wire type the query server writes. */
export type QueryOutcome = QueryReply;

/** No query server answered within the timeout, after every retry. */
export class QueryTimeoutError extends Error {
  override readonly name = 'QueryTimeoutError';
  constructor(
    readonly query: string,
    readonly attempts: number,
    readonly reason: NoAnswer,
  ) {
    super(`query ${query} got no reply after ${attempts} attempt(s): ${reason}`);
  }
}

type ObjectOf<N> = N extends `${infer O}.${string}` ? O : never;
type ActionOf<N, O extends string> = N extends `${O}.${infer A}` ? A : never;

/** `client.query.<object>.<action>(payload, { actor })`. */
export type QueryMethods = {
  readonly [O in ObjectOf<QueryName>]: {
    readonly [A in ActionOf<QueryName, O>]: (
      payload: QueryInput<`${O}.${A}` & QueryName>,
      options: QueryOptions,
    ) => Promise<QueryOutcome>;
  };
};

/**
 * How long the server may wait before it answers (§4): only a query with
 * `min_position` waits. The client gives it that on top of its own timeout.
 */
function serverWait(payload: unknown): number {
  const asked = (payload ?? {}) as { min_position?: unknown; wait_ms?: unknown };
  return asked.min_position === undefined ? 0 : waitMsOf(asked.wait_ms);
}

export function queryMethods(
  nc: NatsConnection,
  settings: { readonly prefix: string; readonly timeoutMs: number; readonly retries: number },
): QueryMethods {
  async function ask(name: string, payload: unknown, options: QueryOptions): Promise<QueryOutcome> {
    const body = JSON.stringify({
      actor: options.actor,
      payload,
      ...(options.correlationId ? { correlation_id: options.correlationId } : {}),
    });
    const headers = outgoingHeaders(options.traceparent);
    const timeout = settings.timeoutMs + serverWait(payload);
    const subject = `${settings.prefix}.query.${name}`;
    const answer = await askWithRetries(nc, subject, body, {
      timeout,
      headers,
      attempts: settings.retries + 1,
    });
    if ('raw' in answer) return replyOf<QueryOutcome>(answer.raw, subject);
    throw new QueryTimeoutError(name, settings.retries + 1, answer.none);
  }

  const methods: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(queryPayloads)) {
    const [object = '', action = ''] = name.split('.');
    methods[object] ??= {};
    methods[object][action] = (payload: unknown, options: QueryOptions) => ask(name, payload, options);
  }
  return methods as unknown as QueryMethods;
}
