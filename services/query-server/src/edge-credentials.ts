import { edgeCredentialsRequest, edgeCredentialsSubject } from '@camledger/domain';
import { lookupEdgeCredentials, type ReadStore } from '@camledger/read-model';
import type { Msg, NatsConnection, Subscription } from 'nats';
import { respondSafely } from './respond.ts';
import type { QueryServerLog } from './service.ts';

// The edge's look-up of consumers and tokens (docs/edge.md), answered by the
// query servers from the read store, in the queries' queue group so any
// number share it. Secrets go out sealed, as stored; only the edge opens
// them. Nothing here is logged but the subject of a failure.

export interface EdgeCredentialsResponder {
  stop(): Promise<void>;
}

export function startEdgeCredentialsResponder(
  nc: NatsConnection,
  deps: { readonly prefix: string; readonly store: ReadStore; readonly log: QueryServerLog },
): EdgeCredentialsResponder {
  const inFlight = new Set<Promise<void>>();

  async function answer(msg: Msg): Promise<void> {
    let reply: object;
    try {
      const request = edgeCredentialsRequest.safeParse(JSON.parse(new TextDecoder().decode(msg.data)));
      reply = request.success
        ? { ok: true, result: await lookupEdgeCredentials(deps.store, request.data) }
        : { ok: false, code: 128, error: 'MissingParameter', message: 'expected {consumer_key, token?}' };
    } catch (error) {
      if (error instanceof SyntaxError)
        reply = { ok: false, code: 128, error: 'MissingParameter', message: 'the body is not JSON' };
      else {
        deps.log.error({ err: error, subject: msg.subject }, 'credentials look-up failed');
        reply = { ok: false, code: 1500, error: 'ServerError', message: 'the look-up failed' };
      }
    }
    respondSafely(msg, deps.log, (to) => to.respond(JSON.stringify(reply)));
  }

  const sub: Subscription = nc.subscribe(edgeCredentialsSubject(deps.prefix), {
    queue: `${deps.prefix}-queries`,
    callback: (_error, msg) => {
      const task = answer(msg).finally(() => inFlight.delete(task));
      inFlight.add(task);
    },
  });

  return {
    async stop() {
      await sub.drain();
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
