import { commands, failures, type Reply, rejectWith, replyJson, serverErrorReply } from '@camledger/domain';
import { execute, type Route, route, routeOf } from '@camledger/runtime';
import {
  headers,
  type Msg,
  type NatsConnection,
  type Service,
  ServiceErrorCodeHeader,
  ServiceErrorHeader,
} from 'nats';
import { z } from 'zod';
import { type CommandCounter, CommandStats } from './command-stats.ts';
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

const channels = ['cmd', 'internal'] as const;

/**
 * The worker as a NATS service: one endpoint per channel, `cmd` on
 * `<prefix>.cmd.>` and `internal` on `<prefix>.internal.>`, both in the queue
 * group `<prefix>-workers`. A request reaches exactly one worker, once, and
 * is answered once: a known command with its reply, any other subject with
 * 16 (or 128 for a body that is no envelope), decided by the runtime's one
 * `route`. INFO lists the channel's commands and each payload's JSON Schema
 * in the endpoint's metadata; STATS counts per command in the endpoint's
 * `data` (docs/operations.md, Monitoring).
 */
export async function startService(nc: NatsConnection, deps: WorkerDeps): Promise<RunningService> {
  const perCommand = new CommandStats();
  const service = await nc.services.add({
    name: serviceNameFor(deps.prefix),
    version: serviceVersion,
    description: `camledger commands under "${deps.prefix}": validate, decide, append, reply`,
    queue: `${deps.prefix}-workers`,
    metadata: { prefix: deps.prefix },
    // nats.js hands over the endpoint, known here by its subject.
    statsHandler: async (endpoint) => perCommand.of(endpoint.subject),
  });
  const inFlight = new Set<Promise<void>>();
  const track = (task: Promise<void>) => {
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };

  let statsReachable = true;
  for (const channel of channels) {
    const served = servedCommands().filter((known) => known.channel === channel);
    const subject = `${deps.prefix}.${channel}.>`;
    let stats: EndpointStats | undefined;
    service.addEndpoint(channel, {
      subject,
      metadata: {
        channel,
        commands: served.map((known) => known.name).join(','),
        schemas: JSON.stringify(
          Object.fromEntries(served.map((known) => [known.name, payloadSchema(known)])),
        ),
      },
      handler: (_error, msg) => {
        const known = route(msg.subject, deps.prefix);
        track(
          answer(deps, msg, known, stats, perCommand.counter(subject, known?.name), nc.info?.max_payload),
        );
      },
    });
    stats = endpointStats(service, channel);
    statsReachable &&= stats !== undefined;
  }
  if (!statsReachable)
    deps.log.warn('cannot reach the endpoint counters of nats.js: $SRV.STATS will not count 1500s');

  // Ready means served: the subscriptions above are only requests to the
  // server until this round trip returns, and a command sent by another
  // connection in between would find no responders.
  await nc.flush();

  let draining = false;
  const lost = new Promise<Error>((resolve) => {
    const ended = (error: unknown) => {
      if (!draining) resolve(error instanceof Error ? error : new Error('the NATS service ended'));
    };
    service.stopped.then(ended, ended);
  });

  return {
    service,
    lost,
    async drain() {
      draining = true;
      await service.stop();
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
  counted: CommandCounter,
  /** The server's max_payload: a reply over it would never reach the caller. */
  maxPayload: number | undefined,
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
      // The traceparent rides on the envelope into the runtime, which stamps
      // it on the metadata of every event the command appends; it is also in
      // every log line of the command (docs/operations.md, "Trace context").
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
  const took = performance.now() - started;
  if (failed) stats?.error(new Error(`1500 on ${msg.subject}, correlation id ${correlationId ?? 'none'}`));
  stats?.took(took);
  counted(took, failed);

  if (!msg.reply) {
    deps.log.warn(
      { subject: msg.subject, commandId, correlationId },
      'command without a reply subject: nobody to answer',
    );
    return;
  }
  try {
    const text = replyJson(withOpenedSecrets(reply, deps.log), maxPayload);
    msg.respond(text, failed ? serviceError() : undefined);
  } catch (error) {
    deps.log.error({ err: error, subject: msg.subject, correlationId }, 'could not send the reply');
  }
}

/**
 * What `ServiceMsg.respondError` adds, done by hand beside our own JSON
 * body: the services API's error headers, which `nats
 * micro` tooling reads, while the body stays the contract's JSON rejection.
 */
function serviceError() {
  const h = headers();
  h.set(ServiceErrorCodeHeader, String(failures.ServerError.code));
  h.set(ServiceErrorHeader, failures.ServerError.message);
  return { headers: h };
}
