import {
  credentialKey,
  edgeCredentialsReply,
  edgeCredentialsSubject,
  openSecret,
  type SecretsKey,
} from '@camledger/domain';
import type { NatsConnection } from 'nats';
import type { CredentialLookup, Credentials } from '../oauth/credentials.ts';
import { nobodyAnswered, Unavailable } from './unavailable.ts';

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
  const subject = edgeCredentialsSubject(options.prefix);
  const open = (sealed: string, what: string): string | undefined => {
    const clear = openSecret(options.key, sealed);
    if (clear === undefined)
      options.log.error({ what }, 'a stored secret does not open with CAMLEDGER_SECRETS_KEY');
    return clear;
  };
  return {
    async lookup(consumerKey, token): Promise<Credentials> {
      // A key or token no one can have been issued is unknown: asking would
      // only be refused as malformed (128).
      if (!credentialKey.safeParse(consumerKey).success) return { consumer: null, token: null };
      const askToken = token !== undefined && credentialKey.safeParse(token).success;
      let raw: unknown;
      try {
        const msg = await nc.request(
          subject,
          JSON.stringify({ consumer_key: consumerKey, ...(askToken ? { token } : {}) }),
          { timeout: options.timeoutMs },
        );
        raw = msg.json();
      } catch (error) {
        if (nobodyAnswered(error)) throw new Unavailable(subject);
        throw error;
      }
      const parsed = edgeCredentialsReply.safeParse(raw);
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
