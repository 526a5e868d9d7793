import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import {
  type CredentialLookup,
  type Credentials,
  nonceBucketName,
  type RunningEdge,
  readEdgeConfig,
  startEdge,
} from '@camledger/api-edge';
import type { NatsConnection } from 'nats';
import OAuth from 'oauth-1.0a';
import { pino } from 'pino';

/** The consumers and tokens an edge under test knows, as the query servers would answer them. */
export class MemoryCredentials implements CredentialLookup {
  readonly consumers = new Map<string, { secret: string; active: boolean }>();
  readonly tokens = new Map<
    string,
    { secret: string; consumerKey: string; userId: string; active: boolean; userRegistered: boolean }
  >();
  async lookup(consumerKey: string, token: string | undefined): Promise<Credentials> {
    return {
      consumer: this.consumers.get(consumerKey) ?? null,
      token: token === undefined ? null : (this.tokens.get(token) ?? null),
    };
  }
}

export interface Signer {
  readonly consumer: { key: string; secret: string };
  readonly token?: { key: string; secret: string };
  readonly method?: 'HMAC-SHA1' | 'HMAC-SHA256';
  /** Seconds to move oauth_timestamp by (a client with a wrong clock). */
  readonly skewSeconds?: number;
}

/** The Authorization header a real OAuth 1.0a client (the oauth-1.0a library) makes; `form` params are signed too. */
export function authorization(
  signer: Signer,
  method: string,
  url: string,
  form?: Record<string, string>,
): { Authorization: string; nonce: string } {
  const signatureMethod = signer.method ?? 'HMAC-SHA1';
  const oauth = new OAuth({
    consumer: signer.consumer,
    signature_method: signatureMethod,
    hash_function: (base, key) =>
      createHmac(signatureMethod === 'HMAC-SHA1' ? 'sha1' : 'sha256', key)
        .update(base)
        .digest('base64'),
  });
  const data = oauth.authorize(
    { url, method, ...(form ? { data: form } : {}) },
    signer.token ?? (undefined as unknown as OAuth.Token),
  );
  if (signer.skewSeconds) {
    data.oauth_timestamp += signer.skewSeconds;
    data.oauth_signature = oauth.getSignature(
      { url, method, ...(form ? { data: form } : {}) },
      signer.token?.secret,
      data,
    );
  }
  return { ...oauth.toHeader(data), nonce: data.oauth_nonce };
}

export const newSecret = () => randomBytes(24).toString('base64url');

export interface EdgeUnderTest {
  readonly edge: RunningEdge;
  readonly credentials: MemoryCredentials;
  readonly logs: string[];
  url(path: string): string;
  close(): Promise<void>;
}

/** A real edge on a free port, in front of the real worker of `prefix`, with credentials held in memory. */
export async function startTestEdge(nc: NatsConnection, prefix: string): Promise<EdgeUnderTest> {
  const logs: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const credentials = new MemoryCredentials();
  const config = readEdgeConfig({
    CAMLEDGER_PREFIX: prefix,
    CAMLEDGER_EDGE_ADDR: '127.0.0.1:0',
    CAMLEDGER_SECRETS_KEY: 'edge test key',
  });
  const edge = await startEdge(nc, config, { log, credentials });
  return {
    edge,
    credentials,
    logs,
    url: (path) => `${edge.publicUrl}${path}`,
    async close() {
      await edge.close();
      const jsm = await nc.jetstreamManager();
      await jsm.streams.delete(`KV_${nonceBucketName(prefix)}`).catch(() => {});
    },
  };
}

const run = promisify(execFile);

/** curl, in a child process: the status and the body it printed. */
export async function curl(args: readonly string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await run('curl', ['-s', '-w', '\n%{http_code}', ...args], {
    maxBuffer: 4 * 1024 * 1024,
  });
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}
