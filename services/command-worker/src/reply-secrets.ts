import type { Reply } from '@camledger/domain';
import { openSecret, secretsKey } from '@camledger/domain';

// DOMAIN.md §6: OAuth secrets rest sealed (events, the reply log, the read
// store) but reach the one who issued them in clear. The runtime's reply is
// the stored one (a retry answers it again), so it stays sealed; only the
// copy put on the wire is opened, here, just before it is sent. A retry
// therefore answers the same clear secret.

/** Result fields that carry a secret (`consumer_secret`, `token_secret`). */
const isSecretField = (name: string) => name.endsWith('_secret');

export function withOpenedSecrets(reply: Reply, log: { error(obj: object, msg: string): void }): Reply {
  if (!reply.ok || !reply.result) return reply;
  const fields = Object.entries(reply.result as Record<string, unknown>);
  if (!fields.some(([name, value]) => isSecretField(name) && typeof value === 'string')) return reply;
  // Read at each use, as the runtime's secret source does, so both follow the process's key.
  const key = secretsKey(process.env.CAMLEDGER_SECRETS_KEY);
  const result: Record<string, unknown> = {};
  for (const [name, value] of fields) {
    if (!isSecretField(name) || typeof value !== 'string') {
      result[name] = value;
      continue;
    }
    const clear = openSecret(key, value);
    // Sealed under another key (CAMLEDGER_SECRETS_KEY changed since): the seal is all we can give.
    if (clear === undefined)
      log.error({ field: name }, 'a stored secret does not open with CAMLEDGER_SECRETS_KEY');
    result[name] = clear ?? value;
  }
  return { ...reply, result } as Reply;
}
