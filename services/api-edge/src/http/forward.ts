import type { NatsConnection } from 'nats';
import type { Operation } from '../catalogue.ts';
import { nobodyAnswered, TooLargeForNats, Unavailable } from '../nats/unavailable.ts';

/**
 * Sends a command to `<prefix>.cmd.<name>` or a query to
 * `<prefix>.query.<name>`: the only two subject spaces the edge ever
 * reaches (never `internal`), and returns the parsed reply.
 */
export async function forward(
  nc: NatsConnection,
  prefix: string,
  op: Operation,
  envelope: { command_id?: string; actor: string; payload: Record<string, unknown> },
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const subject = `${prefix}.${op.kind === 'command' ? 'cmd' : 'query'}.${op.name}`;
  const body = JSON.stringify(envelope);
  try {
    const msg = await nc.request(subject, body, { timeout: timeoutMs });
    return msg.json<Record<string, unknown>>();
  } catch (error) {
    if (nobodyAnswered(error)) throw new Unavailable(subject);
    if ((error as { code?: string }).code === 'MAX_PAYLOAD_EXCEEDED')
      throw new TooLargeForNats(Buffer.byteLength(body), nc.info?.max_payload ?? 0);
    throw error;
  }
}
