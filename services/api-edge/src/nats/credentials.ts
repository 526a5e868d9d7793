import { openSecret, type SecretsKey } from '@camledger/domain';
import type { NatsConnection } from 'nats';
import { z } from 'zod';
import type { CredentialLookup, Credentials } from '../oauth/credentials.ts';
import { nobodyAnswered, Unavailable } from './unavailable.ts';

/**
 * The internal query the query servers answer for the edge, outside the
 * `cmd`, `query` and `internal` subject spaces (whose catch-alls answer 16 to
 * what they do not know), so only edges need the right to ask it.
 */
export const credentialsSubject = (prefix: string): string => `${prefix}.edge.credentials`;

/** Its reply: the rows as the read store keeps them, secrets still sealed. */
export const credentialsReply = z.object({
  ok: z.literal(true),
  result: z.object({
    consumer: z.object({ secret: z.string(), active: z.boolean() }).nullable(),
    token: z
      .object({
        secret: z.string(),
        consumer_key: z.string(),
        user_id: z.string(),
        active: z.boolean(),
        user_registered: z.boolean(),
      })
      .nullable(),
  }),
});
export type CredentialsReply = z.infer<typeof credentialsReply>;

export interface LookupLog {
  error(fields: object, message: string): void;
}

/**
 * Asks the query servers, opens the sealed secrets with CAMLEDGER_SECRETS_KEY.
 * A secret that does not open (another key) counts as unknown, and says so
 * in the log: nobody can sign with it.
 */
export function natsCredentialLookup(
  nc: NatsConnection,
  options: { prefix: string; key: SecretsKey; timeoutMs: number; log: LookupLog },
): CredentialLookup {
  const subject = credentialsSubject(options.prefix);
  const open = (sealed: string, what: string): string | undefined => {
    const clear = openSecret(options.key, sealed);
    if (clear === undefined)
      options.log.error({ what }, 'a stored secret does not open with CAMLEDGER_SECRETS_KEY');
    return clear;
  };
  return {
    async lookup(consumerKey, token): Promise<Credentials> {
      let raw: unknown;
      try {
        const msg = await nc.request(
          subject,
          JSON.stringify({ consumer_key: consumerKey, ...(token ? { token } : {}) }),
          { timeout: options.timeoutMs },
        );
        raw = msg.json();
      } catch (error) {
        if (nobodyAnswered(error)) throw new Unavailable(subject);
        throw error;
      }
      const parsed = credentialsReply.safeParse(raw);
      if (!parsed.success) throw new Error(`unexpected reply on ${subject}`);
      const { consumer, token: found } = parsed.data.result;
      const consumerSecret = consumer ? open(consumer.secret, 'consumer') : undefined;
      const tokenSecret = found ? open(found.secret, 'token') : undefined;
      return {
        consumer:
          consumer && consumerSecret !== undefined
            ? { secret: consumerSecret, active: consumer.active }
            : null,
        token:
          found && tokenSecret !== undefined
            ? {
                secret: tokenSecret,
                consumerKey: found.consumer_key,
                userId: found.user_id,
                active: found.active,
                userRegistered: found.user_registered,
              }
            : null,
      };
    },
  };
}
