// What the edge must know of a consumer and a token to verify a request. The
// edge keeps none of it: a CredentialLookup asks the query servers each time
// (see nats-credentials.ts); the secrets here are already opened.

export interface ConsumerCredentials {
  readonly secret: string;
  /** False once the consumer was removed: it and its tokens stop working. */
  readonly active: boolean;
}

export interface TokenCredentials {
  readonly secret: string;
  readonly consumerKey: string;
  readonly userId: string;
  /** False once the token was revoked. */
  readonly active: boolean;
  /** Whether the token's user is a registered user (else 8). */
  readonly userRegistered: boolean;
}

export interface Credentials {
  readonly consumer: ConsumerCredentials | null;
  readonly token: TokenCredentials | null;
}

export interface CredentialLookup {
  /** One look-up for both, so a request costs one round trip; `token` may be absent. */
  lookup(consumerKey: string, token: string | undefined): Promise<Credentials>;
}

/** Where the edge records nonces; `claim` is create-only: true for the first claim of a key, false ever after. */
export interface NonceStore {
  claim(key: string): Promise<boolean>;
}
