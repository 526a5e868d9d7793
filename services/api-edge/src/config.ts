import { QUERY_READ_DEADLINE_MS, type SecretsKey, secretsKey } from '@camledger/domain';

// The edge's configuration (DOMAIN.md §5), read from the environment.

export interface EdgeConfig {
  readonly prefix: string;
  readonly host: string;
  /** 0: any free port (the address is logged and returned by startEdge). */
  readonly port: number;
  /** The scheme and host clients sign (`http://<host>:<port>` when unset, resolved once listening). */
  readonly publicUrl: string | undefined;
  readonly secretsKey: SecretsKey;
  /** How long a command may take before the edge answers 503 (1500). */
  readonly commandTimeoutMs: number;
  /**
   * Added to a query's wait_ms before the edge gives up on the query server:
   * more than the query server gives the reads past that wait, so that its
   * own answer (1500 after QUERY_READ_DEADLINE_MS, or a late result) reaches
   * the client rather than the edge's 503.
   */
  readonly queryMarginMs: number;
  /** JetStream replicas of the nonce bucket. */
  readonly replicas: number;
}

export class EdgeConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'EdgeConfigError';
  }
}

export function readEdgeConfig(env: Readonly<Record<string, string | undefined>>): EdgeConfig {
  const addr = env.CAMLEDGER_EDGE_ADDR || '127.0.0.1:8080';
  const match = /^(.*):(\d{1,5})$/.exec(addr);
  const port = Number(match?.[2]);
  if (!match?.[1] || port > 65535)
    throw new EdgeConfigError('CAMLEDGER_EDGE_ADDR', `expected host:port, got "${addr}"`);
  const publicUrl = env.CAMLEDGER_EDGE_PUBLIC_URL || undefined;
  if (publicUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(publicUrl);
    } catch {}
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash)
      throw new EdgeConfigError(
        'CAMLEDGER_EDGE_PUBLIC_URL',
        `expected http(s)://host[:port][/path], got "${publicUrl}"`,
      );
  }
  // The worker's rule for the same variable (its readConfig): JetStream keeps 1 to
  // 5 replicas, and an empty value counts as unset, as compose files leave them.
  const replicasText = env.CAMLEDGER_REPLICAS || '1';
  if (!/^[1-5]$/.test(replicasText))
    throw new EdgeConfigError(
      'CAMLEDGER_REPLICAS',
      `expected a whole number from 1 to 5, got "${replicasText}"`,
    );
  const replicas = Number(replicasText);
  return {
    prefix: env.CAMLEDGER_PREFIX || 'camledger',
    host: match[1].replace(/^\[(.*)\]$/, '$1'),
    port,
    publicUrl,
    secretsKey: secretsKey(env.CAMLEDGER_SECRETS_KEY),
    commandTimeoutMs: 10_000,
    // A second for the reply's trip over NATS on top of the query server's deadline.
    queryMarginMs: QUERY_READ_DEADLINE_MS + 1_000,
    replicas,
  };
}
