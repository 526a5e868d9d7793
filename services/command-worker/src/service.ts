import { commands, failures, type Reply, rejectWith, serverErrorReply } from '@camledger/domain';
import { execute, type Route, route, routeOf } from '@camledger/runtime';
import {
  headers,
  type Msg,
  type NatsConnection,
  type Service,
  ServiceErrorCodeHeader,
  ServiceErrorHeader,
  type Subscription,
} from 'nats';
import { z } from 'zod';
import type { WorkerDeps } from './deps.ts';
import { type EndpointStats, endpointStats } from './endpoint-stats.ts';
import { withOpenedSecrets } from './reply-secrets.ts';
import { parseEnvelope } from './wire/envelope.ts';
import { traceIdOf, traceparentOf } from './wire/trace-context.ts';

export const serviceVersion = '0.1.0';

/**
 * `camledger-<prefix>-commands`: one name per deployment, so `$SRV.INFO` of
 * one prefix does not list another's workers. Service names allow only
 * letters, digits, `-` and `_`; anything else in the prefix becomes `_`.
 */
export const serviceNameFor = (prefix: string): string =>
  `camledger-${prefix.replace(/[^A-Za-z0-9_-]/g, '_')}-commands`;

export interface RunningService {
  readonly service: Service;
  /**
   * Resolves when serving ended although nobody asked `drain()`: the NATS
   * connection closed for good, or a subscription was closed under us. The
   * process then serves nothing and must not pretend otherwise.
   */
  readonly lost: Promise<Error>;
  /** Stops taking commands, lets those in flight finish and reply. */
  drain(): Promise<void>;
}

/** Every command a client may send, with its channel: the same answer `route` gives for its subject. */
export function servedCommands(): Route[] {
  return commands.flatMap((handler) => {
    const known = routeOf(handler.internal ? 'internal' : 'cmd', handler.name);
    return known ? [known] : [];
  });
}

/**
 * The worker as a NATS service. Exactly one answer per request:
 *
 * - one endpoint per known command (subject `<prefix>.<channel>.<object>.<action>`),
 *   all in the queue group `<prefix>-workers`, so STATS and INFO speak per
 *   command, and INFO carries each payload's JSON Schema;
 * - a catch-all on `<prefix>.cmd.>` and `<prefix>.internal.>`, outside the
 *   service and in a queue group of its own (`<prefix>-unknown-actions`),
 *   which answers only subjects that are *not* known commands (16, or 128
 *   for a body that is not an envelope) and drops the rest silently.
 *
 * A known subject reaches one member of each group: the endpoint answers, the
 * catch-all stays silent. An unknown subject matches no endpoint, so only the
 * catch-all answers. Both decisions come from the runtime's one `route`, so
 * they cannot disagree within one worker (docs/operations.md: what a rolling
 * upgrade does).
 */
export async function startService(nc: NatsConnection, deps: WorkerDeps): Promise<RunningService> {
  const service = await nc.services.add({
    name: serviceNameFor(deps.prefix),
    version: serviceVersion,
    description: `camledger commands under "${deps.prefix}": validate, decide, append, reply`,
    queue: `${deps.prefix}-workers`,
    metadata: { prefix: deps.prefix },
  });
  const inFlight = new Set<Promise<void>>();
  const track = (task: Promise<void>) => {
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };

  let statsReachable = true;
  for (const known of servedCommands()) {
    const name = known.name.replace(/\./g, '_');
    let stats: EndpointStats | undefined;
    service.addEndpoint(name, {
      subject: `${deps.prefix}.${known.channel}.${known.name}`,
      metadata: {
        command: known.name,
        channel: known.channel,
        schema: JSON.stringify(payloadSchema(known)),
      },
      handler: (_error, msg) => track(answer(deps, msg, known, stats)),
    });
    stats = endpointStats(service, name);
    statsReachable &&= stats !== undefined;
  }
  if (!statsReachable)
    deps.log.warn('cannot reach the endpoint counters of nats.js: $SRV.STATS will not count 1500s');

  const catchAll: Subscription[] = (['cmd', 'internal'] as const).map((channel) =>
    nc.subscribe(`${deps.prefix}.${channel}.>`, {
      queue: `${deps.prefix}-unknown-actions`,
      callback: (_error, msg) => {
        if (route(msg.subject, deps.prefix)) return; // its command endpoint answers it
        track(answer(deps, msg, undefined, undefined));
      },
    }),
  );

  // Ready means served: the subscriptions above are only requests to the
  // server until this round trip returns, and a command sent by another
  // connection in between would find no responders.
  await nc.flush();

  let draining = false;
  const lost = new Promise<Error>((resolve) => {
    const ended = (what: string) => (error: unknown) => {
      if (draining) return;
      resolve(error instanceof Error ? error : new Error(`${what} ended`));
    };
    service.stopped.then(ended('the NATS service'), ended('the NATS service'));
    for (const sub of catchAll)
      sub.closed.then(ended('the unknown-action subscription'), ended('the unknown-action subscription'));
  });

  return {
    service,
    lost,
    async drain() {
      draining = true;
      await Promise.all([service.stop(), ...catchAll.map((sub) => sub.drain())]);
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

/** The payload as clients write it (before defaults and transforms), for INFO's endpoint metadata. */
function payloadSchema(known: Route): unknown {
  return z.toJSONSchema(known.handler.payload, { io: 'input', unrepresentable: 'any' });
}

/** Always replies, whatever happens: no promise escapes to the services API, which would not catch it. */
async function answer(
  deps: WorkerDeps,
  msg: Msg,
  known: Route | undefined,
  stats: EndpointStats | undefined,
): Promise<void> {
  const started = performance.now();
  const traceparent = traceparentOf(msg.headers);
  const trace = traceparent ? { traceparent, traceId: traceIdOf(traceparent) } : {};
  let commandId: string | undefined;
  let correlationId: string | undefined;
  let reply: Reply;
  try {
    const parsed = parseEnvelope(msg.data);
    if (!parsed.ok) reply = rejectWith('MissingParameter', { param: parsed.param, reason: parsed.reason });
    else {
      commandId = parsed.envelope.command_id;
      correlationId = parsed.envelope.correlation_id ?? parsed.envelope.command_id;
      // The traceparent rides on the envelope into the runtime, which copies it into the events' metadata.
      reply = known
        ? await execute(deps, known, { ...parsed.envelope, ...(traceparent ? { traceparent } : {}) })
        : rejectWith('NoActionSpecified', { subject: msg.subject, reason: 'unknown action' });
    }
  } catch (error) {
    deps.log.error(
      { err: error, subject: msg.subject, commandId, correlationId, ...trace },
      'command failed unexpectedly',
    );
    reply = serverErrorReply(correlationId);
  }
  const failed = reply.code === failures.ServerError.code;
  const durationMs = Math.round((performance.now() - started) * 100) / 100;
  const line = { subject: msg.subject, commandId, correlationId, code: reply.code, durationMs, ...trace };
  // Never the payload (it may carry secrets); the rejection's own fields are safe: the client sees them too.
  deps.log.info(line, 'command answered');
  if (!reply.ok)
    deps.log.debug(
      { ...line, rejection: reply.error, param: reply.details.param, reason: reply.details.reason },
      'command rejected',
    );
  // STATS is read by operators with `$SRV` rights only: it names where to look, not what broke.
  if (failed) stats?.error(new Error(`1500 on ${msg.subject}, correlation id ${correlationId ?? 'none'}`));
  stats?.took(performance.now() - started);

  if (!msg.reply) {
    deps.log.warn(
      { subject: msg.subject, commandId, correlationId },
      'command without a reply subject: nobody to answer',
    );
    return;
  }
  try {
    msg.respond(JSON.stringify(withOpenedSecrets(reply, deps.log)), failed ? serviceError() : undefined);
  } catch (error) {
    deps.log.error({ err: error, subject: msg.subject, correlationId }, 'could not send the reply');
  }
}

/**
 * What `ServiceMsg.respondError` adds, done by hand so the catch-all's plain
 * messages can use it too: the services API's error headers, which `nats
 * micro` tooling reads, while the body stays the contract's JSON rejection.
 */
function serviceError() {
  const h = headers();
  h.set(ServiceErrorCodeHeader, String(failures.ServerError.code));
  h.set(ServiceErrorHeader, failures.ServerError.message);
  return { headers: h };
}
