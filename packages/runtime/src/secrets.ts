import { randomBytes } from 'node:crypto';
import { type SecretSource, secretSource, secretsKey } from '@camledger/domain';

let current: { readonly material: string | undefined; readonly source: SecretSource } | undefined;

/**
 * The secret source every command context gets (DOMAIN.md §6): node's
 * cryptographically secure `randomBytes`, sealing under the key derived from
 * CAMLEDGER_SECRETS_KEY. Unset, a well-known development key is used and
 * said once on stderr, so a deployment cannot miss it.
 */
export function processSecrets(): SecretSource {
  const material = process.env.CAMLEDGER_SECRETS_KEY;
  if (current === undefined || current.material !== material) {
    const key = secretsKey(material);
    if (key.development)
      process.emitWarning(
        'CAMLEDGER_SECRETS_KEY is not set: OAuth secrets are sealed with the development key',
        'CamledgerSecretsKey',
      );
    current = { material, source: secretSource(key, randomBytes) };
  }
  return current.source;
}
