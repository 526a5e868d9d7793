import type { Msg } from 'nats';
import type { QueryServerLog } from './service.ts';

/**
 * Sends one answer and never throws: nats.js throws from `respond` when the
 * connection is closing or the reply is over `max_payload`, and a throw in a
 * handler's promise would be an unhandled rejection, which ends the process.
 * The caller then hears nothing and times out; the log says why.
 */
export function respondSafely(msg: Msg, log: QueryServerLog, send: (msg: Msg) => void): void {
  if (!msg.reply) {
    log.warn({ subject: msg.subject }, 'request without a reply subject: nobody to answer');
    return;
  }
  try {
    send(msg);
  } catch (error) {
    log.error({ err: error, subject: msg.subject }, 'could not send the reply');
  }
}
