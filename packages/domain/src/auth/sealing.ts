import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import type { SecretSource } from '../kernel/index.ts';

// OAuth secrets are kept sealed (AES-256-GCM) wherever they rest: events, the
// reply log, the read store. These are pure functions: the random parts (the
// secret itself, each seal's IV) are handed in, so the domain still reads no
// random source of its own. The worker builds a SecretSource from them with
// node's secure random bytes; the edge and the CLI open what they need.

/** A 256-bit key derived from CAMLEDGER_SECRETS_KEY; opaque so it is never printed by accident. */
export interface SecretsKey {
  readonly bytes: Buffer;
  /** True when the variable was unset and the well-known development key is in use. */
  readonly development: boolean;
  toJSON(): string;
}

/** Known to everyone, so only for development: a deployment sets CAMLEDGER_SECRETS_KEY. */
const developmentMaterial = 'camledger development secrets key: set CAMLEDGER_SECRETS_KEY';
const version = 'v1';
const ivBytes = 12;
const tagBytes = 16;

/** The key behind a CAMLEDGER_SECRETS_KEY value (any string; HKDF-SHA256 spreads it to 32 bytes). */
export function secretsKey(material: string | undefined): SecretsKey {
  const development = material === undefined || material === '';
  const ikm = development ? developmentMaterial : material;
  const bytes = Buffer.from(hkdfSync('sha256', ikm, 'camledger', 'oauth-secrets-v1', 32));
  return { bytes, development, toJSON: () => '[secrets key]' };
}

/** `v1.<base64url(iv | tag | ciphertext)>`: the secret encrypted under `key` with a fresh 12-byte IV. */
export function sealSecret(key: SecretsKey, clear: string, iv: Uint8Array): string {
  if (iv.length !== ivBytes) throw new Error(`a seal needs a ${ivBytes}-byte IV`);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  const body = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
  return `${version}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** The clear secret, or undefined when the value was not sealed under this key (tampered, other key, not a seal). */
export function openSecret(key: SecretsKey, sealed: string): string | undefined {
  if (!sealed.startsWith(`${version}.`)) return undefined;
  const raw = Buffer.from(sealed.slice(version.length + 1), 'base64url');
  if (raw.length < ivBytes + tagBytes) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, raw.subarray(0, ivBytes));
    decipher.setAuthTag(raw.subarray(ivBytes, ivBytes + tagBytes));
    return Buffer.concat([decipher.update(raw.subarray(ivBytes + tagBytes)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}

/**
 * The SecretSource a worker hands to deciders: 32 random bytes per secret
 * (base64url, 43 characters) and a fresh IV per seal, both from `random`,
 * which must be a cryptographically secure source (node's `randomBytes`).
 */
export function secretSource(key: SecretsKey, random: (size: number) => Uint8Array): SecretSource {
  return {
    fresh: () => Buffer.from(random(32)).toString('base64url'),
    seal: (clear) => sealSecret(key, clear, random(ivBytes)),
  };
}
