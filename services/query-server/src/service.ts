import { replyJson } from '@camledger/domain';
import {
  AppliedPosition,
  answerQuery,
  correlationIdIn,
  type QueryReply,
  type ReadStore,
  serverErrorReply,
} from '@camledger/read-model';
import type { NatsConnection, Service, ServiceMsg } from 'nats';
import { respondSafely } from './respond.ts';

// The query server: `<prefix>.query.<object>.<action>` through the NATS
// services API, in a queue group of its own (`<prefix>-queries`) so any
// number of servers share the load and none steals a command. One wildcard
// endpoint, because an unknown query must still be answered (16); it always
// replies, also to what it cannot parse (128) or a failure of its own (1500).

export const serviceName = 'camledger-query-server';
export const serviceVersion = '0.1.0';

export interface QueryServerLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface QueryServerDeps {
  readonly prefix: string;
  readonly store: ReadStore;
  readonly trashRetentionMs: number;
  /** Shared with a projector in the same process (its `onApplied` notifies it); made here otherwise. */
  readonly applied?: AppliedPosition;
  readonly log?: QueryServerLog;
}

export interface QueryServer {
  readonly service: Service;
  readonly applied: AppliedPosition;
  /** Stops taking queries and lets those in flight answer. */
  stop(): Promise<void>;
}

/** For callers that log nothing (tests, embedded uses). */
export const silent: QueryServerLog = { warn() {}, error() {} };

export async function startQueryServer(nc: NatsConnection, deps: QueryServerDeps): Promise<QueryServer> {
  const log = deps.log ?? silent;
  const applied = deps.applied ?? new AppliedPosition(deps.store);
  const subjectStem = `${deps.prefix}.query.`;
  const service = await nc.services.add({
    name: serviceName,
    version: serviceVersion,
    description: 'camledger queries: read-your-writes reads of the projections',
    queue: `${deps.prefix}-queries`,
    metadata: { prefix: deps.prefix },
  });
  const inFlight = new Set<Promise<void>>();

  async function answer(msg: ServiceMsg): Promise<void> {
    let reply: QueryReply;
    try {
      reply = await answerQuery(
        { store: deps.store, applied, trashRetentionMs: deps.trashRetentionMs },
        msg.subject.slice(subjectStem.length),
        msg.data,
      );
    } catch (error) {
      // The id the caller can quote, in the reply and in this line (rare: read again only here).
      const correlationId = correlationIdIn(msg.data);
      log.error({ err: error, subject: msg.subject, correlationId }, 'query failed unexpectedly');
      reply = serverErrorReply(correlationId);
    }
    respondSafely(msg, log, (to) => to.respond(replyJson(reply, nc.info?.max_payload)));
  }

  service.addEndpoint('query', {
    subject: `${deps.prefix}.query.>`,
    metadata: { channel: 'query' },
    handler: (_error, msg) => {
      const task = answer(msg).finally(() => inFlight.delete(task));
      inFlight.add(task);
    },
  });
  // Started means served: until the server has the subscription, a query
  // from another connection would find no responders.
  await nc.flush();

  return {
    service,
    applied,
    async stop() {
      await service.stop();
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
