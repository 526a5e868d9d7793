import { type Reply, rejectWith, serverErrorReply } from '@camledger/domain';
import { execute, route } from '@camledger/runtime';
import type { NatsConnection, Service, ServiceMsg } from 'nats';
import type { WorkerDeps } from './deps.ts';
import { parseEnvelope } from './wire/envelope.ts';

export const serviceName = 'camledger-command-worker';
export const serviceVersion = '0.1.0';

export interface RunningService {
  readonly service: Service;
  /** Stops taking commands, lets those in flight finish and reply. */
  drain(): Promise<void>;
}

/**
 * The worker as a NATS service (`$SRV.PING/INFO/STATS` come with it): two
 * wildcard endpoints, one per channel, in one queue group per prefix so any
 * number of workers share the load. One endpoint per channel rather than one
 * per command, because a subject matched by two subscriptions of one queue
 * group would be served twice, and unknown actions must still get a 16.
 */
export async function startService(nc: NatsConnection, deps: WorkerDeps): Promise<RunningService> {
  const service = await nc.services.add({
    name: serviceName,
    version: serviceVersion,
    description: 'camledger commands: validate, decide, append, reply',
    queue: `${deps.prefix}-workers`,
    metadata: { prefix: deps.prefix },
  });
  const inFlight = new Set<Promise<void>>();
  const handler = (_error: unknown, msg: ServiceMsg) => {
    const task = answer(deps, msg).finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  service.addEndpoint('cmd', { subject: `${deps.prefix}.cmd.>`, handler, metadata: { channel: 'cmd' } });
  service.addEndpoint('internal', {
    subject: `${deps.prefix}.internal.>`,
    handler,
    metadata: { channel: 'internal' },
  });

  return {
    service,
    async drain() {
      await service.stop();
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

/** Always replies, whatever happens: no promise escapes to the services API, which would not catch it. */
async function answer(deps: WorkerDeps, msg: ServiceMsg): Promise<void> {
  let correlationId: string | undefined;
  let reply: Reply;
  try {
    const parsed = parseEnvelope(msg.data);
    if (!parsed.ok) reply = rejectWith('MissingParameter', { param: parsed.param, reason: parsed.reason });
    else {
      correlationId = parsed.envelope.correlation_id ?? parsed.envelope.command_id;
      const known = route(msg.subject, deps.prefix);
      reply = known
        ? await execute(deps, known, parsed.envelope)
        : rejectWith('NoActionSpecified', { subject: msg.subject, reason: 'unknown action' });
    }
  } catch (error) {
    deps.log.error({ err: error, subject: msg.subject, correlationId }, 'command failed unexpectedly');
    reply = serverErrorReply(correlationId);
  }
  if (!msg.reply) {
    deps.log.warn(
      { subject: msg.subject, correlationId },
      'command without a reply subject: nobody to answer',
    );
    return;
  }
  try {
    msg.respond(JSON.stringify(reply));
  } catch (error) {
    deps.log.error({ err: error, subject: msg.subject, correlationId }, 'could not send the reply');
  }
}
