import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
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

export interface RawResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * One TCP connection to an edge, written to byte for byte: for requests no
 * HTTP client sends as written (no Host, CONNECT, an absolute-form target, a
 * second request on a connection while the edge stops).
 */
export class RawConnection {
  private received = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private ended = false;
  /** Settles once the edge has closed the connection. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake?.();
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.ended = true;
        this.wake?.();
        resolve();
      }),
    );
    socket.on('error', () => {});
  }

  /** `address` as startEdge returns it: `http://host:port`. */
  static open(address: string): Promise<RawConnection> {
    const { hostname, port } = new URL(address);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname.replace(/^\[(.*)\]$/, '$1'), () =>
        resolve(new RawConnection(socket)),
      );
      socket.once('error', reject);
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** The next whole response (by its Content-Length, else up to the close); throws if the edge closes first. */
  async next(): Promise<RawResponse> {
    for (;;) {
      const parsed = this.parse();
      if (parsed) return parsed;
      if (this.ended)
        throw new Error(
          `connection closed before a whole response: ${JSON.stringify(this.received.toString())}`,
        );
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private parse(): RawResponse | undefined {
    const end = this.received.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine = '', ...lines] = this.received.subarray(0, end).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const status = Number(statusLine.split(' ')[1]);
    if (status >= 200 && headers['transfer-encoding'] === 'chunked')
      return this.chunked(status, headers, end + 4);
    // An interim answer (100 Continue) has no body.
    const length = status < 200 ? '0' : headers['content-length'];
    const bodyEnd =
      length === undefined ? (this.ended ? this.received.length : -1) : end + 4 + Number(length);
    if (bodyEnd < 0 || this.received.length < bodyEnd) return undefined;
    const body = this.received.subarray(end + 4, bodyEnd).toString('utf8');
    this.received = this.received.subarray(bodyEnd);
    return { status, headers, body };
  }

  /** A chunked body from `at` (Node's own answers use it), once its last chunk is in. */
  private chunked(status: number, headers: Record<string, string>, at: number): RawResponse | undefined {
    const parts: Buffer[] = [];
    for (let i = at; ; ) {
      const eol = this.received.indexOf('\r\n', i);
      if (eol < 0) return undefined;
      const size = Number.parseInt(this.received.subarray(i, eol).toString('latin1'), 16);
      if (this.received.length < eol + 2 + size + 2) return undefined;
      if (size === 0) {
        this.received = this.received.subarray(eol + 4);
        return { status, headers, body: Buffer.concat(parts).toString('utf8') };
      }
      parts.push(this.received.subarray(eol + 2, eol + 2 + size));
      i = eol + 2 + size + 2;
    }
  }
}

/** Resolves once nothing listens on `address` any more (a connection is refused): the edge has begun to stop. */
export async function untilRefused(address: string): Promise<void> {
  const { hostname, port } = new URL(address);
  for (let tries = 0; tries < 200; tries++) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(port), hostname, () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${address} still accepts connections`);
}
