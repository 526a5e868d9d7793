import { ErrorCode, type MsgHdrs, type NatsConnection, type NatsError } from 'nats';

/** Why a request got no answer after its last attempt. */
export type NoAnswer = 'timeout' | 'no_responders';

/**
 * Asks `subject` up to `attempts` times with the very same body (so a
 * command's retry keeps its command id), waiting a little longer after each
 * "no responders". Answers the raw reply, or why none came; any other
 * failure is thrown.
 */
export async function askWithRetries(
  nc: NatsConnection,
  subject: string,
  body: string,
  options: { readonly timeout: number; readonly headers: MsgHdrs | undefined; readonly attempts: number },
): Promise<{ readonly raw: string } | { readonly none: NoAnswer }> {
  let none: NoAnswer = 'timeout';
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      const msg = await nc.request(subject, body, {
        timeout: options.timeout,
        ...(options.headers ? { headers: options.headers } : {}),
      });
      return { raw: msg.string() };
    } catch (error) {
      const code = (error as NatsError).code;
      if (code !== ErrorCode.Timeout && code !== ErrorCode.NoResponders) throw error;
      none = code === ErrorCode.Timeout ? 'timeout' : 'no_responders';
      if (none === 'no_responders') await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
  return { none };
}
