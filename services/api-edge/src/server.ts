import { randomUUID } from 'node:crypto';
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { waitMsOf } from '@camledger/domain';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { NatsConnection } from 'nats';
import { type Logger, pino } from 'pino';
import { buildCatalogue, type Operation } from './catalogue.ts';
import type { EdgeConfig } from './config.ts';
import { type Answer, fromReply, refusal } from './http/answers.ts';
import { render } from './http/body.ts';
import { forward } from './http/forward.ts';
import { openApiDocument } from './http/openapi.ts';
import { bodyKindOf, bodyText, payloadOfPairs, readBody } from './http/params.ts';
import { type Format, parsePath } from './http/path.ts';
import {
  bodyTooLargeStatus,
  expectationFailedStatus,
  unavailableStatus,
  urlTooLongStatus,
} from './http/status.ts';
import { natsCredentialLookup } from './nats/credentials.ts';
import { natsNonceStore } from './nats/nonces.ts';
import { TooLargeForNats, Unavailable } from './nats/unavailable.ts';
import type { CredentialLookup, NonceStore } from './oauth/credentials.ts';
import { formPairs, type Param } from './oauth/encoding.ts';
import { headerParams } from './oauth/protocol-params.ts';
import { verifyRequest } from './oauth/verify.ts';

/** DOMAIN.md §6: a body over 1 MiB is refused before anything else. */
export const bodyLimitBytes = 1024 * 1024;
/** Longer URLs are refused (414, 128) before anything else too; Node refuses past 16 KiB of headers. */
export const urlLimitBytes = 8 * 1024;

export interface EdgeOptions {
  readonly log?: Logger;
  readonly clock?: () => Date;
  /** Defaults to the query servers over NATS; tests of the OAuth rules hand in their own. */
  readonly credentials?: CredentialLookup;
  readonly nonces?: NonceStore;
  /** Whether the rest of the process serves (the roles beside the edge); NATS is checked anyway. */
  readonly healthy?: () => Promise<boolean>;
}

export interface RunningEdge {
  /** `http://host:port` where the edge listens. */
  readonly address: string;
  /** The URL clients sign. */
  readonly publicUrl: string;
  close(): Promise<void>;
}

/**
 * The HTTP edge on Fastify: routing, body limits and content parsing are
 * Fastify's; the order of checks, OAuth and the translation are ours, in
 * `handle` below, one step per rule of DOMAIN.md §6.
 */
export async function startEdge(
  nc: NatsConnection,
  config: EdgeConfig,
  options: EdgeOptions = {},
): Promise<RunningEdge> {
  const log = options.log ?? pino({ name: 'camledger-edge' });
  if (config.secretsKey.development)
    log.warn('CAMLEDGER_SECRETS_KEY is not set: secrets open with the development key');
  const clock = options.clock ?? (() => new Date());
  const catalogue = buildCatalogue();
  const credentials =
    options.credentials ??
    natsCredentialLookup(nc, { prefix: config.prefix, key: config.secretsKey, timeoutMs: 5_000, log });
  const nonces = options.nonces ?? (await natsNonceStore(nc, config.prefix, { replicas: config.replicas }));

  const app = Fastify({
    bodyLimit: bodyLimitBytes,
    disableRequestLogging: true,
    // Larger than urlLimitBytes so our own check answers, with the contract's body. Router
    // options go under routerOptions since Fastify 5 (at the top level: warning FSTDEP022).
    routerOptions: { maxParamLength: urlLimitBytes * 2 },
    // RFC 9112 §3.2.2: a server MUST accept a target in absolute form
    // (`GET http://host/item/get.json`, as proxies send). Routing and the
    // signature (over CAMLEDGER_EDGE_PUBLIC_URL plus the path) use its path
    // and query, as for the usual origin form.
    rewriteUrl: (req) => originForm(req.url ?? '/'),
    // While stopping, a request on a connection still open gets the contract's
    // 503 (refuseFirst, below), not Fastify's own body without a code.
    return503OnClosing: false,
    // A path the router cannot percent-decode (`/item/get%zz.json`): like a URL too
    // long, refused before anything else, with the contract's body, not Fastify's.
    // The router calls this before any hook, so the checks that come first
    // (a body over 1 MiB, then the rest of refuseFirst) are asked here too, or
    // they would come second.
    frameworkErrors: (_error, req, reply) =>
      refuseFirst(req, reply) ??
      send(
        reply,
        refusal('MissingParameter', { param: 'url', reason: 'the path is not valid percent-encoding' }),
        formatOf(req.url),
      ),
    clientErrorHandler: (error, socket) => {
      // A request Node cannot even parse (e.g. headers or a URL over its 16 KiB): still a coded answer.
      const tooLarge = (error as { code?: string }).code === 'HPE_HEADER_OVERFLOW';
      const answer = refusal(
        'MissingParameter',
        {
          param: tooLarge ? 'url' : 'request',
          reason: tooLarge ? 'the request line or headers are too large' : 'malformed HTTP request',
        },
        tooLarge ? 431 : 400,
      );
      if (socket.writable) socket.end(rawResponse(answer, 'json'));
    },
    // Node would answer an HTTP/1.1 request without Host itself, 400 with an
    // empty body; refuseFirst gives it the contract's body instead.
    http: { requireHostHeader: false },
  });
  // Bodies are read as bytes and parsed by us, so a malformed one gets its code
  // in the order of §6. Not as a string: Fastify would decode before anyone
  // authenticated, turning each byte that is not UTF-8 into three (a body
  // then no longer matches its Content-Length, 400, or passes the 1 MiB
  // limit that it is well under).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  let publicUrl = config.publicUrl ?? '';
  /** Set as close() begins: what arrives after is answered 503, and its connection closed. */
  let stopping = false;
  let openApi: string | undefined;

  app.get('/healthz', async (_req, reply) => {
    const ok = !nc.isClosed() && (await (options.healthy?.() ?? Promise.resolve(true)));
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable' });
  });
  app.get('/openapi.json', async (_req, reply) => {
    openApi ??= JSON.stringify(openApiDocument(catalogue.values(), publicUrl));
    return reply.type('application/json; charset=utf-8').send(openApi);
  });
  // A client that asks first (`Expect: 100-continue`, as curl does past 1 MiB)
  // is told to go on only with a body within the limit; over it, it gets the
  // 413 below instead and never sends the body. Told to go on regardless, it
  // would still be sending when the 413 closes the connection, and the reset
  // could cost it the answer.
  app.server.on('checkContinue', (req, res) => {
    if (Number(req.headers['content-length'] ?? 0) <= bodyLimitBytes) res.writeContinue();
    app.server.emit('request', req, res);
  });
  // Any other Expect: Node would answer 417 itself, with no body. Handed on
  // instead, refuseFirst gives the 417 the contract's body.
  app.server.on('checkExpectation', (req, res) => app.server.emit('request', req, res));
  // CONNECT asks for a tunnel; Node, unasked, drops the connection. Its target
  // is a host, not a path, so there is nothing to route or to sign: 405 with
  // 32, as for any method the edge does not serve.
  app.server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    const answer = firstRefusal(req) ?? {
      ...refusal('PostRequired', { method: req.method }),
      allow: 'GET, POST',
    };
    logAnswer(req.method ?? '', req.url ?? '', answer);
    if (socket.writable) socket.end(rawResponse(answer, 'json'));
  });
  // A declared body over the limit is refused before anything else, whatever the
  // method: Fastify reads (and limits) bodies only of the methods that have one.
  // Then a stopping edge, a missing Host, an Expect not understood (refuseFirst).
  app.addHook('onRequest', async (req, reply) => refuseFirst(req, reply));
  app.all('/*', async (req, reply) => send(reply, ...(await guarded(req))));
  // Methods Node parses but Fastify routes nowhere (PURGE, PROPFIND, …) are asked
  // the same questions in the same order: OAuth first, then 32.
  app.setNotFoundHandler(async (req, reply) => send(reply, ...(await guarded(req))));

  app.setErrorHandler((error, req, reply) => {
    const format = formatOf(req.url);
    if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return send(reply, bodyTooLarge(), format);
    if ((error as { statusCode?: number }).statusCode === 400)
      return send(
        reply,
        refusal('MissingParameter', { param: 'body', reason: 'the body cannot be read' }),
        format,
      );
    log.error({ err: error, path: pathOf(req.url) }, 'edge request failed unexpectedly');
    return send(reply, refusal('ServerError'), format);
  });

  /**
   * The refusals that come before anything else, whichever way a request
   * reached Fastify (a route's hook, or the router's own error for a path it
   * cannot decode): the reply sent, or undefined when none applies.
   */
  function refuseFirst(req: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
    const answer = firstRefusal(req.raw);
    if (!answer) return undefined;
    // Whatever may follow on this connection (a body over the limit, one sent
    // despite a failed Expect) is not read as a request.
    reply.header('connection', 'close');
    return send(reply, answer, formatOf(req.url));
  }

  /** Before anything else, in this order: the body limit, a stopping edge, then what HTTP itself requires. */
  function firstRefusal(req: IncomingMessage): Answer | undefined {
    if (Number(req.headers['content-length'] ?? 0) > bodyLimitBytes) return bodyTooLarge();
    if (stopping) return unavailable('the edge is stopping');
    // HTTP/1.0 needs no Host (RFC 9112 §3.2); Node only reads Expect on 1.1 either.
    const http11 = req.httpVersionMajor === 1 && req.httpVersionMinor >= 1;
    if (http11 && req.headers.host === undefined)
      return refusal('MissingParameter', { param: 'Host', reason: 'HTTP/1.1 requires a Host header' });
    const expect = req.headers.expect;
    if (http11 && expect !== undefined && expect.toLowerCase() !== '100-continue')
      return refusal(
        'MissingParameter',
        { param: 'Expect', reason: 'only 100-continue is understood' },
        expectationFailedStatus,
      );
    return undefined;
  }

  /** The order of DOMAIN.md §6, one step per line of it. */
  async function handle(req: FastifyRequest): Promise<[Answer, Format]> {
    const path = pathOf(req.url);
    const query = req.url.length > path.length ? req.url.slice(path.length + 1) : '';
    // (A body over 1 MiB was refused before we got here: 413, 128, by the onRequest hook or Fastify.)
    if (req.url.length > urlLimitBytes)
      return [
        refusal(
          'MissingParameter',
          { param: 'url', reason: `longer than ${urlLimitBytes} bytes` },
          urlTooLongStatus,
        ),
        formatOf(req.url),
      ];

    // 1: the format.
    const parsed = parsePath(path);
    if (!parsed.ok) return [refusal('MissingOrInvalidFormat', { path }), 'json'];
    const format = parsed.format;

    // 2, 4, 8: OAuth, over every parameter of the header, the query string and a form body.
    const bytes = Buffer.isBuffer(req.body) ? req.body : undefined;
    // Undefined when not UTF-8: no parameter is taken from it, and it is refused (128) after 32.
    const text = bodyText(bytes);
    const kind = bodyKindOf(req.headers['content-type'], (bytes?.length ?? 0) > 0);
    const authorization = req.headers.authorization;
    const header = headerParams(authorization);
    const fromHeader: readonly Param[] = header?.params ?? [];
    const fromQuery = formPairs(query);
    const fromForm = kind === 'form' && text !== undefined ? formPairs(text) : [];
    const verdict = await verifyRequest(
      {
        method: req.method,
        path,
        params: [...fromHeader, ...fromQuery, ...fromForm],
        malformedHeader: header?.malformed ?? false,
      },
      { publicUrl, credentials, nonces, now: clock },
    );
    if (!verdict.ok) return [refusal(verdict.failure, { reason: verdict.reason }), format];

    // 16: no action, an unknown one, or an internal one (the catalogue holds none).
    const op: Operation | undefined = parsed.name ? catalogue.get(parsed.name) : undefined;
    if (!op) return [refusal('NoActionSpecified', { path }), format];

    // 32: commands need POST; queries take GET or POST.
    if (req.method !== 'POST' && (op.kind === 'command' || req.method !== 'GET'))
      return [
        {
          ...refusal('PostRequired', { method: req.method }),
          allow: op.kind === 'command' ? 'POST' : 'GET, POST',
        },
        format,
      ];

    // Then the command's or query's own codes, starting with a body that cannot be read.
    const body = readBody(kind, text);
    if (!body.ok) return [refusal('MissingParameter', { param: body.param, reason: body.reason }), format];
    const payload =
      req.method === 'GET' ? payloadOfPairs(fromQuery) : { ...payloadOfPairs(fromQuery), ...body.payload };

    // The command id of a command; a query has none, so the header means nothing there.
    const key = op.kind === 'command' ? req.headers['idempotency-key'] : undefined;
    if (key !== undefined && (typeof key !== 'string' || key.length < 1 || key.length > 128))
      return [
        refusal('MissingParameter', { param: 'Idempotency-Key', reason: 'must be 1..128 characters' }),
        format,
      ];

    const envelope =
      op.kind === 'command'
        ? { command_id: typeof key === 'string' ? key : randomUUID(), actor: verdict.actor, payload }
        : { actor: verdict.actor, payload };
    const timeoutMs =
      op.kind === 'command' ? config.commandTimeoutMs : queryTimeoutMs(config, payload.wait_ms);
    return [fromReply(await forward(nc, config.prefix, op, envelope, timeoutMs)), format];
  }

  function send(reply: FastifyReply, answer: Answer, format: Format): FastifyReply {
    const rendered = render(answer.body, format);
    logAnswer(reply.request.method, reply.request.url, answer);
    for (const [name, value] of Object.entries(httpHeaders(answer))) reply.header(name, value);
    return reply.code(answer.status).type(rendered.type).send(rendered.text);
  }

  function logAnswer(method: string, url: string, answer: Answer): void {
    log.info({ method, path: pathOf(url), status: answer.status, code: answer.body.code }, 'edge answered');
  }

  /** Nobody answering in time is not a fault of the edge: 503 with 1500. */
  async function guarded(req: FastifyRequest): Promise<[Answer, Format]> {
    try {
      return await handle(req);
    } catch (error) {
      const format = formatOf(req.url);
      if (error instanceof Unavailable) {
        log.warn({ subject: error.subject }, 'nobody answered in time');
        return [unavailable('no worker or query server answered in time'), format];
      }
      if (error instanceof TooLargeForNats)
        return [
          refusal('MissingParameter', { param: 'body', reason: error.message }, bodyTooLargeStatus),
          format,
        ];
      throw error;
    }
  }

  const address = await app.listen({ host: config.host, port: config.port });
  if (!config.publicUrl) publicUrl = addrUrl(config.host, address);
  log.info({ address, publicUrl }, 'camledger edge listening');
  return {
    address,
    publicUrl,
    async close() {
      stopping = true;
      await app.close();
    },
  };
}

/**
 * How long the edge waits for a query server's reply: the longest the query
 * server may wait for `min_position` (wait_ms, kept within its bounds) plus
 * the edge's margin, which exceeds the query server's own read deadline.
 */
export const queryTimeoutMs = (config: Pick<EdgeConfig, 'queryMarginMs'>, waitMs: unknown): number =>
  waitMsOf(waitMs) + config.queryMarginMs;

/**
 * The default signing URL, `http://<CAMLEDGER_EDGE_ADDR>` (DOMAIN.md §5): the
 * host as configured, not the address it resolved to (a client calling
 * `localhost` signs `localhost`), and the port as bound (port 0 picks one).
 */
function addrUrl(host: string, bound: string): string {
  const { port } = new URL(bound);
  return `http://${host.includes(':') ? `[${host}]` : host}${port ? `:${port}` : ''}`;
}

const bodyTooLarge = (): Answer =>
  refusal(
    'MissingParameter',
    { param: 'body', reason: `larger than ${bodyLimitBytes} bytes` },
    bodyTooLargeStatus,
  );

/** A whole response written straight to a socket Fastify does not hold, closing the connection. */
function rawResponse(answer: Answer, format: Format): string {
  const { type, text } = render(answer.body, format);
  const extra = Object.entries(httpHeaders(answer))
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}\r\nContent-Type: ${type}\r\n${extra}` +
    `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`
  );
}

/**
 * The headers HTTP requires beside a status (RFC 9110): a 401 says how to
 * authenticate (OAuth 1.0a, RFC 5849 §3.5.1), a 405 which methods would do.
 */
function httpHeaders(answer: Answer): Record<string, string> {
  if (answer.status === 401) return { 'WWW-Authenticate': 'OAuth realm="camledger"' };
  if (answer.status === 405) return { Allow: answer.allow ?? 'GET, POST' };
  return {};
}

/** Nobody can answer: 503 with 1500, a circumstance rather than a code of the table. */
const unavailable = (reason: string): Answer => refusal('ServerError', { reason }, unavailableStatus);

/**
 * The path and query of a request target: an absolute-form target
 * (`scheme://authority/path?query`) loses its scheme and authority, which
 * the origin server is to take from the target rather than from Host and
 * which the edge does not use; any other target is kept as it is.
 */
function originForm(target: string): string {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
  if (!authority) return target;
  const rest = target.slice(authority[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

const pathOf = (url: string): string => {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
};

const formatOf = (url: string): Format => {
  const parsed = parsePath(pathOf(url));
  return parsed.ok ? parsed.format : 'json';
};
