import { ErrorCode, type MsgHdrs, type NatsConnection, type NatsError } from 'nats';
import { RequestTooLargeError } from './outcome.ts';

/**
 * Why a request got no answer after its last attempt:
 * - `no_responders`: every attempt was refused at once, nothing was listening
 *   (a command was not run);
 * - `timeout`: some attempt went unanswered in time (a command may have run:
 *   retry with the same command id);
 * - `connection_closed`: the connection closed before an answer came (a
 *   command may have run, as for `timeout`).
 */
export type NoAnswer = 'timeout' | 'no_responders' | 'connection_closed';

/**
 * Asks `subject` up to `attempts` times with the very same body (so a
 * command's retry keeps its command id), waiting a little longer after each
 * "no responders" but the last. Answers the raw reply, or why none came; a
 * request over the server's max_payload (never sent) is a RequestTooLargeError
 * naming `commandId`, and a failure of another kind is thrown as it is.
 */
export async function askWithRetries(
  nc: NatsConnection,
  subject: string,
  body: string,
  options: {
    readonly timeout: number;
    readonly headers: MsgHdrs | undefined;
    readonly attempts: number;
    readonly commandId?: string;
  },
): Promise<{ readonly raw: string } | { readonly none: NoAnswer }> {
  // Sticky: once an attempt may have reached a worker, a later "no
  // responders" must not tell the caller that nothing ran.
  let mayHaveArrived = false;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      const msg = await nc.request(subject, body, {
        timeout: options.timeout,
        ...(options.headers ? { headers: options.headers } : {}),
      });
      return { raw: msg.string() };
    } catch (error) {
      const code = (error as NatsError).code;
      if (code === ErrorCode.Timeout) {
        // nats.js ends a request pending at close as timed out.
        if (nc.isClosed()) return { none: 'connection_closed' };
        mayHaveArrived = true;
      } else if (code === ErrorCode.NoResponders) {
        if (attempt < options.attempts) await new Promise((r) => setTimeout(r, 100 * attempt));
      } else if (code === ErrorCode.ConnectionClosed || code === ErrorCode.ConnectionDraining)
        return { none: 'connection_closed' };
      else if (code === ErrorCode.MaxPayloadExceeded)
        throw new RequestTooLargeError(
          subject,
          options.commandId,
          Buffer.byteLength(body),
          nc.info?.max_payload ?? 0,
        );
      else throw error;
    }
  }
  return { none: mayHaveArrived ? 'timeout' : 'no_responders' };
}
