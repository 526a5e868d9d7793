import { execFile } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  authorizationHeader,
  bodyLimitBytes,
  buildCatalogue,
  readEdgeConfig,
  startEdge,
} from '@camledger/api-edge';
import { commands } from '@camledger/domain';
import { queries } from '@camledger/read-model';
import { Validator } from '@seriousme/openapi-schema-validator';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsNonceStore, nonceBucketName } from '../../services/api-edge/src/nats/nonces.ts';
import { type Param, percentEncode } from '../../services/api-edge/src/oauth/encoding.ts';
import { sign, signatureBaseString } from '../../services/api-edge/src/oauth/signature.ts';
import { runCamledger } from '../support/cli-process.ts';
import { randomId } from '../support/ids.ts';
import { natsUrl, startTestWorker, type TestWorker, uniquePrefix } from '../support/test-worker.ts';
import {
  authorization,
  curl,
  type EdgeUnderTest,
  newSecret,
  RawConnection,
  type Signer,
  startTestEdge,
  untilRefused,
} from './support.ts';

// The edge in front of a real worker on the real NATS server; consumers and
// tokens are held in memory (the query servers' part), nonces in the real KV.

let t: TestWorker;
let e: EdgeUnderTest;
const alice = randomId('usr');
const stranger = randomId('usr');
const app = { key: randomId('ock'), secret: newSecret() };
const aliceToken = { key: randomId('otk'), secret: newSecret() };
const revokedToken = { key: randomId('otk'), secret: newSecret() };
const strangerToken = { key: randomId('otk'), secret: newSecret() };
const signer: Signer = { consumer: app, token: aliceToken };

beforeAll(async () => {
  t = await startTestWorker();
  await t.raw(
    'internal.account.register',
    JSON.stringify({
      command_id: randomUUID(),
      actor: 'system',
      payload: { user_id: alice, username: `a${Date.now()}` },
    }),
  );
  e = await startTestEdge(t.nc, t.prefix);
  e.credentials.consumers.set(app.key, { secret: app.secret, active: true });
  const token = (secret: string, userId: string, active: boolean, userRegistered: boolean) => ({
    secret,
    consumerKey: app.key,
    userId,
    active,
    userRegistered,
  });
  e.credentials.tokens.set(aliceToken.key, token(aliceToken.secret, alice, true, true));
  e.credentials.tokens.set(revokedToken.key, token(revokedToken.secret, alice, false, true));
  e.credentials.tokens.set(strangerToken.key, token(strangerToken.secret, stranger, true, false));
});

afterAll(async () => {
  await e?.close();
  await t?.stop();
});

/** A request signed by `who` (form parameters signed too), answered as status, parsed JSON body and raw text. */
async function call(
  method: 'GET' | 'POST',
  path: string,
  options: { who?: Signer; form?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  const url = e.url(path);
  const headers: Record<string, string> = { ...options.headers };
  if (options.who)
    headers.Authorization = authorization(options.who, method, url, options.form).Authorization;
  const init: RequestInit = { method, headers };
  if (options.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    init.body = new URLSearchParams(options.form).toString();
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body, text, headers: Object.fromEntries(response.headers) };
}

const folderName = () => `f${randomUUID().slice(0, 8)}`;

describe('the order of checks (DOMAIN.md §6): 1, 2, 4, 8, 16, 32', () => {
  it('1: a path not ending in .json or .xml, even unsigned, answered in JSON', async () => {
    expect(await call('GET', '/folder/create.txt')).toMatchObject({
      status: 400,
      body: { code: 1, error: 'MissingOrInvalidFormat' },
    });
  });

  it('2: an unsigned request, even to an action that does not exist, told how to sign (WWW-Authenticate)', async () => {
    expect(await call('GET', '/nothing/here.json')).toMatchObject({
      status: 401,
      body: { code: 2 },
      headers: { 'www-authenticate': 'OAuth realm="camledger"' },
    });
  });

  it('4, not 2: an OAuth Authorization header that does not parse (unquoted values)', async () => {
    const r = await call('GET', '/item/get.json', {
      headers: { Authorization: 'OAuth oauth_consumer_key=ock_1, oauth_token=otk_1, oauth_signature=abc' },
    });
    expect(r).toMatchObject({ status: 401, body: { code: 4 } });
    // Not an OAuth header at all stays unsigned, as does a bare "OAuth".
    for (const Authorization of ['Basic dXNlcjpwYXNz', 'OAuth'])
      expect(await call('GET', '/item/get.json', { headers: { Authorization } })).toMatchObject({
        status: 401,
        body: { code: 2 },
      });
  });

  it('4: an unknown consumer, before anything about the token', async () => {
    const who = { consumer: { key: randomId('ock'), secret: 'x' } };
    expect(await call('GET', '/nothing/here.json', { who })).toMatchObject({
      status: 401,
      body: { code: 4 },
    });
  });

  it('4: a timestamp more than 300 s off, also one otherwise valid', async () => {
    const r = await call('POST', '/folder/create.json', {
      who: { ...signer, skewSeconds: -301 },
      form: { name: folderName(), parent_id: '0' },
    });
    expect(r).toMatchObject({ status: 401, body: { code: 4 } });
  });

  it('8: no token, or an unknown one', async () => {
    expect(await call('GET', '/nothing/here.json', { who: { consumer: app } })).toMatchObject({
      status: 401,
      body: { code: 8 },
    });
    const unknown = { consumer: app, token: { key: randomId('otk'), secret: 'x' } };
    expect(await call('GET', '/nothing/here.json', { who: unknown })).toMatchObject({
      status: 401,
      body: { code: 8 },
    });
  });

  it('4: a signature that does not verify (wrong secret), before a revoked token is told', async () => {
    const who = { consumer: app, token: { key: revokedToken.key, secret: 'not its secret' } };
    expect(await call('GET', '/nothing/here.json', { who })).toMatchObject({
      status: 401,
      body: { code: 4 },
    });
  });

  it('8: a revoked token, or one whose user is not registered, once the signature verified', async () => {
    const revoked = { consumer: app, token: revokedToken };
    expect(await call('GET', '/nothing/here.json', { who: revoked })).toMatchObject({
      status: 401,
      body: { code: 8 },
    });
    const unregistered = { consumer: app, token: strangerToken };
    expect(await call('GET', '/nothing/here.json', { who: unregistered })).toMatchObject({
      status: 401,
      body: { code: 8 },
    });
  });

  it('16: signed, but no action, an unknown one, or an internal one', async () => {
    for (const path of [
      '/item.json',
      '/item/.json',
      '/nothing/here.json',
      '/account/register.json',
      '/account/open.xml',
    ]) {
      const r = await call('POST', path, { who: signer });
      expect(r.status, path).toBe(400);
      if (path.endsWith('.xml'))
        expect(r.text, path).toMatch(/<code>16<\/code>.*<error>NoActionSpecified<\/error>/);
      else expect(r.body, path).toMatchObject({ code: 16, error: 'NoActionSpecified' });
    }
  });

  it('32: a command asked with GET, told it takes POST (Allow)', async () => {
    expect(await call('GET', '/folder/create.json', { who: signer })).toMatchObject({
      status: 405,
      body: { code: 32 },
      headers: { allow: 'POST' },
    });
  });

  it('then the command own codes: a missing parameter is 128', async () => {
    expect(
      await call('POST', '/folder/create.json', { who: signer, form: { parent_id: '0' } }),
    ).toMatchObject({
      status: 400,
      body: { code: 128, details: { param: 'name' } },
    });
  });
});

describe('the protocol parameters (RFC 5849 §3.2), each rule alone', () => {
  // Signed over exactly the parameters sent, so a request breaks only the
  // rule under test: were that rule gone, the edge would serve it (the
  // first case shows the same making is served).
  type Edit = (oauth: Param[]) => Param[];
  async function sendSigned(
    edit: Edit = (o) => o,
    who: { consumer: Signer['consumer']; token: { key: string; secret: string } } = {
      consumer: app,
      token: aliceToken,
    },
  ) {
    const url = e.url('/folder/create.json');
    const form = { name: folderName(), parent_id: '0' };
    const oauth = edit([
      ['oauth_consumer_key', who.consumer.key],
      ['oauth_token', who.token.key],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', String(Math.floor(Date.now() / 1000))],
      ['oauth_nonce', randomUUID()],
      ['oauth_version', '1.0'],
    ]);
    const method = oauth.find(([k]) => k === 'oauth_signature_method')?.[1] ?? '';
    const base = signatureBaseString('POST', url, [...oauth, ...Object.entries(form)]);
    const signature =
      method === 'PLAINTEXT'
        ? `${percentEncode(who.consumer.secret)}&${percentEncode(who.token.secret)}`
        : sign('HMAC-SHA1', base, who.consumer.secret, who.token.secret);
    const header = `OAuth ${[...oauth, ['oauth_signature', signature] as const]
      .map(([k, v]) => `${k}="${percentEncode(v)}"`)
      .join(', ')}`;
    const r = await fetch(url, {
      method: 'POST',
      headers: { Authorization: header, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  }
  const refused4 = { status: 401, body: { code: 4 } };

  it('signed as the edge checks it: served', async () => {
    expect(await sendSigned()).toMatchObject({ status: 200, body: { code: 10000 } });
  });

  it('4: a parameter sent twice, though signed over both', async () => {
    expect(await sendSigned((o) => [...o, ['oauth_nonce', 'second']])).toMatchObject(refused4);
  });

  it('4: oauth_version other than 1.0', async () => {
    expect(
      await sendSigned((o) => o.map(([k, v]) => [k, k === 'oauth_version' ? '2.0' : v] as const)),
    ).toMatchObject(refused4);
  });

  it('4: a signature method other than HMAC-SHA1 or HMAC-SHA256 (PLAINTEXT), not a server error', async () => {
    expect(
      await sendSigned((o) =>
        o.map(([k, v]) => [k, k === 'oauth_signature_method' ? 'PLAINTEXT' : v] as const),
      ),
    ).toMatchObject(refused4);
  });

  it('4: no oauth_nonce', async () => {
    expect(await sendSigned((o) => o.filter(([k]) => k !== 'oauth_nonce'))).toMatchObject(refused4);
  });

  /** A consumer the edge knows (active or removed), with a live token of alice's issued to it. */
  function consumerWithToken(active: boolean) {
    const consumer = { key: randomId('ock'), secret: newSecret() };
    const token = { key: randomId('otk'), secret: newSecret() };
    e.credentials.consumers.set(consumer.key, { secret: consumer.secret, active });
    e.credentials.tokens.set(token.key, {
      secret: token.secret,
      consumerKey: consumer.key,
      userId: alice,
      active: true,
      userRegistered: true,
    });
    return { consumer, token };
  }

  it('4: a removed consumer, though its token was never revoked', async () => {
    expect(await sendSigned(undefined, consumerWithToken(false))).toMatchObject(refused4);
  });

  it("8: a token another consumer was given, signed with this consumer's key and secret", async () => {
    const { token } = consumerWithToken(true);
    expect(await sendSigned(undefined, { consumer: app, token })).toMatchObject({
      status: 401,
      body: { code: 8 },
    });
  });
});

describe('OAuth parameters in the query string or the form body (RFC 5849 §3.5.2, §3.5.3)', () => {
  /** The protocol parameters of `signer`, signed over them and `others` for a POST to `url`. */
  function protocolParams(url: string, others: readonly Param[]): Param[] {
    const oauth: Param[] = [
      ['oauth_consumer_key', app.key],
      ['oauth_token', aliceToken.key],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', String(Math.floor(Date.now() / 1000))],
      ['oauth_nonce', randomUUID()],
      ['oauth_version', '1.0'],
    ];
    const base = signatureBaseString('POST', url, [...oauth, ...others]);
    return [...oauth, ['oauth_signature', sign('HMAC-SHA1', base, app.secret, aliceToken.secret)]];
  }
  const encoded = (params: readonly Param[]) =>
    params.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
  const post = async (url: string, form: string) => {
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  it('in the query string: served; one query parameter added after signing is 4', async () => {
    const url = e.url('/folder/create.json');
    const form: Param[] = [['name', folderName()]];
    const query: Param[] = [['parent_id', '0']];
    const oauth = protocolParams(url, [...query, ...form]);
    const target = `${url}?${encoded([...query, ...oauth])}`;
    expect(await post(target, encoded(form))).toMatchObject({ status: 200, body: { code: 10000 } });
    const tampered = protocolParams(url, [...query, ...form]);
    expect(await post(`${url}?${encoded([...query, ...tampered])}&x=1`, encoded(form))).toMatchObject({
      status: 401,
      body: { code: 4 },
    });
  });

  it('in the form body: served; a form value changed after signing is 4', async () => {
    const url = e.url('/folder/create.json');
    const form: Param[] = [
      ['name', folderName()],
      ['parent_id', '0'],
    ];
    expect(await post(url, encoded([...form, ...protocolParams(url, form)]))).toMatchObject({
      status: 200,
      body: { code: 10000 },
    });
    const oauth = protocolParams(url, form);
    const changed: Param[] = [['name', folderName()], form[1] as Param];
    expect(await post(url, encoded([...changed, ...oauth]))).toMatchObject({
      status: 401,
      body: { code: 4 },
    });
  });
});

describe('nonces', () => {
  it('are remembered 900 s: twice the timestamp window either side, and 300 s for clocks that disagree', async () => {
    const info = await (await t.nc.jetstreamManager()).streams.info(`KV_${t.prefix}_edge_nonces`);
    expect(info.config.max_age).toBe(900 * 1e9);
  });

  it('a bucket an older edge made with 600 s is raised to 900 s; a longer one is left as it is', async () => {
    const jsm = await t.nc.jetstreamManager();
    for (const [madeWith, expected] of [
      [600, 900],
      [3600, 3600],
    ] as const) {
      const lonely = uniquePrefix('nonce');
      await t.nc.jetstream().views.kv(nonceBucketName(lonely), { ttl: madeWith * 1000, history: 1 });
      try {
        const store = await natsNonceStore(t.nc, lonely);
        expect((await jsm.streams.info(`KV_${lonely}_edge_nonces`)).config.max_age).toBe(expected * 1e9);
        expect(await store.claim('n1')).toBe(true);
        expect(await store.claim('n1')).toBe(false);
      } finally {
        await jsm.streams.delete(`KV_${lonely}_edge_nonces`).catch(() => {});
      }
    }
  });

  it('a replayed request (same nonce, timestamp, consumer and token) is 4; the first was served', async () => {
    const form = { name: folderName(), parent_id: '0' };
    const url = e.url('/folder/create.json');
    const header = authorization(signer, 'POST', url, form).Authorization;
    const send = () =>
      fetch(url, {
        method: 'POST',
        headers: { Authorization: header, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    expect(await send()).toMatchObject({ status: 200, body: { code: 10000 } });
    expect(await send()).toMatchObject({ status: 401, body: { code: 4 } });
  });

  it('a request whose signature failed does not burn its nonce', async () => {
    const url = e.url('/account/get.json');
    const good = authorization(signer, 'GET', url);
    const bad = good.Authorization.replace(/oauth_signature="[^"]+"/, 'oauth_signature="AAAA"');
    expect((await fetch(url, { headers: { Authorization: bad } })).status).toBe(401);
    const r = await fetch(url, { headers: { Authorization: good.Authorization } });
    expect(((await r.json()) as { code: number }).code).not.toBe(4);
  });
});

describe('commands through HTTP', () => {
  it('HMAC-SHA256 signs as well as HMAC-SHA1', async () => {
    const r = await call('POST', '/folder/create.json', {
      who: { ...signer, method: 'HMAC-SHA256' },
      form: { name: folderName(), parent_id: '0' },
    });
    expect(r).toMatchObject({
      status: 200,
      body: { code: 10000, message: 'OK', result: { folder_id: expect.stringMatching(/^fld_/) } },
    });
    expect(r.body.position).toEqual(expect.any(Number));
  });

  it('a JSON body works; OAuth in the header', async () => {
    const url = e.url('/folder/create.json');
    const r = await fetch(url, {
      method: 'POST',
      headers: { ...authorization(signer, 'POST', url), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: folderName(), parent_id: 0 }),
    });
    expect(r.status).toBe(200);
  });

  it('a retried POST with the same Idempotency-Key is applied once and answered alike', async () => {
    const key = randomUUID();
    const form = { name: folderName(), parent_id: '0' };
    const first = await call('POST', '/folder/create.json', {
      who: signer,
      form,
      headers: { 'Idempotency-Key': key },
    });
    const retry = await call('POST', '/folder/create.json', {
      who: signer,
      form,
      headers: { 'Idempotency-Key': key },
    });
    expect(first.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    // Without the key the same request is a new command: the name is taken now (4005).
    expect(await call('POST', '/folder/create.json', { who: signer, form })).toMatchObject({
      status: 409,
      body: { code: 4005 },
    });
  });

  it('XML: the same fields as elements of <response>', async () => {
    const name = folderName();
    const r = await call('POST', '/folder/create.xml', { who: signer, form: { name, parent_id: '0' } });
    expect(r.status).toBe(200);
    expect(r.text).toMatch(
      /<response><code>10000<\/code><message>OK<\/message><result><folder_id>fld_\w+<\/folder_id><name>/,
    );
    const rejected = await call('POST', '/folder/create.xml', {
      who: signer,
      form: { name, parent_id: '0' },
    });
    expect(rejected.status).toBe(409);
    expect(rejected.text).toContain('<code>4005</code><error>NameTakenOnCreate</error>');
  });
});

describe("a space in the query string: '+' or %20 (RFC 5849 §3.4.1.3.1)", () => {
  // RFC 3986 percent-encoding, as §3.6 asks for (encodeURIComponent leaves !'()* alone).
  const rfc3986 = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

  /**
   * Signed by hand as the RFC says: the query's '+' is form-encoding of a space, so
   * it is decoded to ' ' and enters the base string as %20. The parameters are
   * written out here, not read back from the URL by any library.
   */
  function signedByHand(baseUri: string, query: readonly (readonly [string, string])[]): string {
    const oauth: [string, string][] = [
      ['oauth_consumer_key', app.key],
      ['oauth_nonce', randomUUID().replaceAll('-', '')],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', String(Math.floor(Date.now() / 1000))],
      ['oauth_token', aliceToken.key],
      ['oauth_version', '1.0'],
    ];
    // Sorted by encoded name (no name repeats here, so the value never decides).
    const normalized = [...query, ...oauth]
      .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const base = `POST&${rfc3986(baseUri)}&${rfc3986(normalized)}`;
    const key = `${rfc3986(app.secret)}&${rfc3986(aliceToken.secret)}`;
    const signature = createHmac('sha1', key).update(base).digest('base64');
    return `OAuth ${[...oauth, ['oauth_signature', signature] as const].map(([k, v]) => `${k}="${rfc3986(v)}"`).join(', ')}`;
  }

  const post = async (url: string, Authorization: string) => {
    const r = await fetch(url, { method: 'POST', headers: { Authorization } });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  it("both verify and name the same folder: '+' signed per RFC, %20 signed by the oauth library", async () => {
    const word = folderName();
    const base = e.url('/folder/create.json');
    const plus = `${base}?name=${word}+two+words&parent_id=0`;
    const created = await post(
      plus,
      signedByHand(base, [
        ['name', `${word} two words`],
        ['parent_id', '0'],
      ]),
    );
    expect(created).toMatchObject({
      status: 200,
      body: { code: 10000, result: { name: `${word} two words` } },
    });

    // The same name spelt with %20: it verifies too, and is the name just taken (4005, not 4).
    const encoded = `${base}?name=${word}%20two%20words&parent_id=0`;
    const again = await post(encoded, authorization(signer, 'POST', encoded).Authorization);
    expect(again.body).toMatchObject({ code: 4005 });
  });

  it("the oauth-1.0a library signs a '+' as a literal plus (%2B): the edge refuses that signature", async () => {
    const plus = e.url(`/folder/create.json?name=${folderName()}+x&parent_id=0`);
    expect(await post(plus, authorization(signer, 'POST', plus).Authorization)).toMatchObject({
      status: 401,
      body: { code: 4 },
    });
  });
});

describe('curl', () => {
  it('unsigned is 2; signed with a header from the oauth library is served', async () => {
    expect(await curl([e.url('/folder/create.json')])).toMatchObject({
      status: 401,
      body: expect.stringContaining('"code":2'),
    });
    const url = e.url('/folder/create.json');
    const form = { name: folderName(), parent_id: '0' };
    const { Authorization } = authorization(signer, 'POST', url, form);
    const r = await curl([
      '-X',
      'POST',
      '-H',
      `Authorization: ${Authorization}`,
      '--data',
      new URLSearchParams(form).toString(),
      url,
    ]);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ code: 10000 });
  });

  it('a replayed curl request is 4, a GET on a command 32, an unknown format 1', async () => {
    const url = e.url('/folder/create.json');
    const { Authorization } = authorization(signer, 'GET', url);
    expect((await curl(['-H', `Authorization: ${Authorization}`, url])).status).toBe(405);
    expect(JSON.parse((await curl(['-H', `Authorization: ${Authorization}`, url])).body)).toMatchObject({
      code: 4,
    });
    expect(JSON.parse((await curl([e.url('/folder/create.html')])).body)).toMatchObject({ code: 1 });
  });

  it('a body over 1 MiB is 413 with 128, before anything else (unsigned, unknown action)', async () => {
    const file = join(tmpdir(), `edge-big-${process.pid}.json`);
    writeFileSync(file, 'x'.repeat(1024 * 1024 + 1));
    try {
      const r = await curl([
        '-X',
        'POST',
        '-H',
        'Content-Type: application/json',
        '--data-binary',
        `@${file}`,
        e.url('/nothing/here.json'),
      ]);
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body)).toMatchObject({ code: 128, details: { param: 'body' } });
    } finally {
      rmSync(file, { force: true });
    }
  });
});

describe('a client that asks before sending (Expect: 100-continue)', () => {
  it('is answered 413 with 128 over the limit without sending its body, and sends one within it', async () => {
    const file = join(tmpdir(), `edge-expect-${process.pid}.json`);
    // Not execFileSync: the edge answers from this very process.
    const upload = async (bytes: number) => {
      writeFileSync(file, 'x'.repeat(bytes));
      // %{size_upload}: the bytes curl sent of the body.
      const { stdout } = await promisify(execFile)(
        'curl',
        [
          '-s',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code} %{size_upload}',
          '-H',
          'Expect: 100-continue',
          '-H',
          'Content-Type: application/json',
          '--data-binary',
          `@${file}`,
          e.url('/nothing/here.json'),
        ],
        { encoding: 'utf8' },
      );
      return stdout;
    };
    try {
      expect(await upload(1024 * 1024 + 1)).toBe('413 0');
      // Within the limit it is told to go on: the body goes, and the answer is about it (unsigned: 401).
      expect(await upload(1000)).toBe('401 1000');
    } finally {
      rmSync(file, { force: true });
    }
  });
});

describe('bad input', () => {
  const signedPost = async (path: string, contentType: string, body: string) => {
    const url = e.url(path);
    const r = await fetch(url, {
      method: 'POST',
      headers: { ...authorization(signer, 'POST', url), 'Content-Type': contentType },
      body,
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  /**
   * A form body sent exactly as written, signed over it (a form body is part
   * of the signature) by the signer the CLI uses, which reads the form as
   * the edge does.
   */
  const signedForm = async (path: string, form: string) => {
    const url = e.url(path);
    const token = signer.token ?? { key: '', secret: '' };
    const r = await fetch(url, {
      method: 'POST',
      headers: {
        Authorization: authorizationHeader({ method: 'POST', url, form, consumer: signer.consumer, token }),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: form,
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  it('a body under 1 MiB that grows past the NATS limit on its way to the worker is 413 with 128, not 1500', async () => {
    // Each %01 of the form (3 bytes) is \u0001 in the JSON the edge sends on (6 bytes).
    const form = { network_id: randomId('net'), subject: 's', body: '\u0001'.repeat(300_000) };
    const r = await call('POST', '/forum/post_message.json', { who: signer, form });
    expect(r).toMatchObject({ status: 413, body: { code: 128, details: { param: 'body' } } });
    // The edge goes on serving.
    expect((await call('GET', '/folder/create.json', { who: signer })).status).toBe(405);
  });

  it('a malformed JSON body is 128, after the checks of §6', async () => {
    expect(await signedPost('/folder/create.json', 'application/json', '{"name": ')).toMatchObject({
      status: 400,
      body: { code: 128, details: { param: 'body' } },
    });
    expect(await signedPost('/folder/create.json', 'application/json', '[1,2]')).toMatchObject({
      status: 400,
      body: { code: 128 },
    });
  });

  it('an unknown content type is 128', async () => {
    expect(await signedPost('/folder/create.json', 'text/csv', 'a,b')).toMatchObject({
      status: 400,
      body: { code: 128 },
    });
  });

  it('a malformed form body is read as far as it goes and the missing parameter named', async () => {
    expect(await signedForm('/folder/create.json', '%%%&&=')).toMatchObject({
      status: 400,
      body: { code: 128, details: { param: 'name' } },
    });
  });

  it('a JSON body nested thousands of levels deep is 128 naming its parameter, not 1500', async () => {
    const deep = `{"name":"x","parent_id":0,"extra":${'['.repeat(6000)}${']'.repeat(6000)}}`;
    expect(await signedPost('/folder/create.json', 'application/json', deep)).toMatchObject({
      status: 400,
      body: { code: 128, details: { param: 'extra' } },
    });
  });

  it('a body that is not UTF-8 is 401 unsigned (nothing before OAuth), and 128 once signed', async () => {
    const latin1 = Buffer.from('name=caf\xe9&parent_id=0', 'latin1');
    const unsigned = await fetch(e.url('/folder/create.json'), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(latin1.length),
      },
      body: latin1,
    });
    expect({ status: unsigned.status, body: await unsigned.json() }).toMatchObject({
      status: 401,
      body: { code: 2 },
    });
    // 400 KiB of 0xFF is 400 KiB, under the 1 MiB limit, however it would decode.
    const url = e.url('/folder/create.json');
    const signed = await fetch(url, {
      method: 'POST',
      headers: { ...authorization(signer, 'POST', url), 'Content-Type': 'application/json' },
      body: Buffer.alloc(400 * 1024, 0xff),
    });
    expect({ status: signed.status, body: await signed.json() }).toMatchObject({
      status: 400,
      body: { code: 128, details: { param: 'body', reason: 'the body is not UTF-8' } },
    });
  });

  it('a form body listing 200k values under one name is answered at once, not after minutes', async () => {
    const form = `name=${folderName()}&parent_id=0&${'a[]=&'.repeat(200_000)}`;
    // An unknown parameter is ignored: the folder is created.
    expect(await signedForm('/folder/create.json', form)).toMatchObject({
      status: 200,
      body: { code: 10000 },
    });
  }, 20_000);

  it('an Idempotency-Key is a command id: a query ignores it, however long', async () => {
    const r = await call('GET', '/folder/get_list.json?parent_id=0', {
      who: signer,
      headers: { 'Idempotency-Key': 'k'.repeat(300) },
    });
    // Forwarded as a query, not refused as a malformed command id (128): no
    // query server runs beside this edge, so nobody answers it (503).
    expect(r).toMatchObject({ status: 503, body: { code: 1500 } });
  });

  it('a very long URL is 414 with 128; one past what Node parses 431 with 128; the edge keeps serving', async () => {
    const long = await curl([e.url(`/folder/create.json?x=${'a'.repeat(9000)}`)]);
    expect(long.status).toBe(414);
    expect(JSON.parse(long.body)).toMatchObject({ code: 128, details: { param: 'url' } });
    const huge = await curl([e.url(`/folder/create.json?x=${'a'.repeat(20000)}`)]);
    expect(huge.status).toBe(431);
    expect(JSON.parse(huge.body)).toMatchObject({ code: 128 });
    expect((await fetch(e.url('/healthz'))).status).toBe(200);
  });
});

describe('requests Fastify would answer itself', () => {
  it('a method Fastify routes nowhere (PURGE) gets the contract: 2 unsigned, 32 once signed', async () => {
    const url = e.url('/item/get.json');
    const unsigned = await curl(['-X', 'PURGE', url]);
    expect(unsigned.status).toBe(401);
    expect(JSON.parse(unsigned.body)).toMatchObject({ code: 2 });
    const { Authorization } = authorization(signer, 'PURGE', url);
    const signed = await curl(['-X', 'PURGE', '-H', `Authorization: ${Authorization}`, url]);
    expect(signed.status).toBe(405);
    expect(JSON.parse(signed.body)).toMatchObject({ code: 32 });
  });

  it('a path that is not valid percent-encoding is 128 naming the url, before anything else', async () => {
    for (const path of ['/item/get%zz.json', '/%E0.xml']) {
      const r = await curl([e.url(path)]);
      expect(r.status).toBe(400);
      expect(r.body).toContain('128');
      if (path.endsWith('.json'))
        expect(JSON.parse(r.body)).toMatchObject({ code: 128, details: { param: 'url' } });
      else expect(r.body).toMatch(/^<\?xml .*<code>128<\/code>.*<param>url<\/param>/);
    }
  });

  it('a body over 1 MiB is 413 with 128 even on a path that is not valid percent-encoding', async () => {
    // The router refuses such a path before any hook runs: the body limit must still come first.
    for (const path of ['/item/get%zz.json', '/%E0.xml']) {
      const c = await RawConnection.open(e.edge.address);
      try {
        c.write(`POST ${path} HTTP/1.1\r\nHost: edge\r\nContent-Length: ${bodyLimitBytes + 1}\r\n\r\n`);
        const r = await c.next();
        expect(r.status, path).toBe(413);
        expect(r.headers.connection).toBe('close');
        if (path.endsWith('.json'))
          expect(JSON.parse(r.body)).toMatchObject({ code: 128, details: { param: 'body' } });
        else expect(r.body).toMatch(/^<\?xml .*<code>128<\/code>.*<param>body<\/param>/);
      } finally {
        c.destroy();
      }
    }
  });

  it('a body over 1 MiB on a GET is 413 with 128 too, by its Content-Length', async () => {
    const file = join(tmpdir(), `edge-big-get-${process.pid}.txt`);
    writeFileSync(file, 'x'.repeat(1024 * 1024 + 1));
    try {
      const r = await curl(['-X', 'GET', '--data-binary', `@${file}`, e.url('/nothing/here.json')]);
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body)).toMatchObject({ code: 128, details: { param: 'body' } });
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('a URL too long is answered in the format it asks for', async () => {
    const r = await curl([e.url(`/folder/create.xml?x=${'a'.repeat(9000)}`)]);
    expect(r.status).toBe(414);
    expect(r.body).toMatch(/^<\?xml .*<code>128<\/code>/);
  });
});

describe('requests Node would answer itself', () => {
  /** One request written as is on a connection of its own, and the answer to it. */
  async function exchange(request: string) {
    const c = await RawConnection.open(e.edge.address);
    try {
      c.write(request);
      const r = await c.next();
      let body: unknown = r.body;
      try {
        body = JSON.parse(r.body);
      } catch {}
      return { status: r.status, headers: r.headers, body };
    } finally {
      c.destroy();
    }
  }

  it('an Expect other than 100-continue is 417 with 128 naming Expect, the connection closed', async () => {
    const r = await exchange(
      'POST /folder/create.json HTTP/1.1\r\nHost: edge\r\nExpect: foo\r\nContent-Length: 3\r\n\r\nabc',
    );
    expect(r).toMatchObject({
      status: 417,
      headers: { connection: 'close' },
      body: { code: 128, error: 'MissingParameter', details: { param: 'Expect' } },
    });
    // The body limit still comes first.
    const big = await exchange(
      `POST /folder/create.json HTTP/1.1\r\nHost: edge\r\nExpect: foo\r\nContent-Length: ${bodyLimitBytes + 1}\r\n\r\n`,
    );
    expect(big).toMatchObject({ status: 413, body: { code: 128, details: { param: 'body' } } });
  });

  it('HTTP/1.1 without Host is 400 with 128 naming Host; HTTP/1.0 needs none', async () => {
    expect(await exchange('GET /folder/get_list.json HTTP/1.1\r\n\r\n')).toMatchObject({
      status: 400,
      headers: { connection: 'close' },
      body: { code: 128, error: 'MissingParameter', details: { param: 'Host' } },
    });
    // Unsigned, so answered 2 like any other request.
    expect(await exchange('GET /folder/get_list.json HTTP/1.0\r\n\r\n')).toMatchObject({
      status: 401,
      body: { code: 2 },
    });
  });

  it('a request target in absolute form (RFC 9112 §3.2.2) is routed and verified by its path and query', async () => {
    const url = e.url('/folder/create.json?parent_id=0');
    const form = { name: folderName() };
    const body = new URLSearchParams(form).toString();
    const signed = await exchange(
      `POST ${url} HTTP/1.1\r\nHost: elsewhere.example\r\n` +
        `Authorization: ${authorization(signer, 'POST', url, form).Authorization}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(signed).toMatchObject({ status: 200, body: { code: 10000 } });
    // Routed by its path too: the format is read from the path, not from the whole target.
    expect(await exchange(`GET ${e.url('/folder/create.txt')} HTTP/1.1\r\nHost: edge\r\n\r\n`)).toMatchObject(
      {
        status: 400,
        body: { code: 1 },
      },
    );
  });

  it('CONNECT is 405 with 32, as any method the edge does not serve, not a dropped connection', async () => {
    expect(await exchange(`CONNECT edge:443 HTTP/1.1\r\nHost: edge:443\r\n\r\n`)).toMatchObject({
      status: 405,
      headers: { connection: 'close', allow: 'GET, POST' },
      body: { code: 32, error: 'PostRequired', details: { method: 'CONNECT' } },
    });
    expect((await fetch(e.url('/healthz'))).status).toBe(200);
  });
});

describe('service endpoints', () => {
  it('/healthz answers 200 without OAuth', async () => {
    expect((await fetch(e.url('/healthz'))).status).toBe(200);
  });

  it('/openapi.json is a valid OpenAPI 3.1 document listing every command and query, no internal one', async () => {
    const doc = (await (await fetch(e.url('/openapi.json'))).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    const served = commands.filter((c) => !c.internal && !c.followUpOnly).map((c) => c.name);
    const expected = [...served, ...queries.keys()].map((n) => `/${n.replace('.', '/')}.{format}`).sort();
    expect(Object.keys(doc.paths).sort()).toEqual(expected);
    expect(Object.keys(doc.paths)).not.toContain('/account/register.{format}');
    expect(buildCatalogue().size).toBe(expected.length);
  });

  it('/openapi.json gives every parameter a type, the limits of DOMAIN.md and the read-your-writes ones', async () => {
    type Schema = { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    type Op = {
      parameters: { name: string; in: string; schema: Record<string, unknown> }[];
      requestBody: { content: Record<string, { schema: Schema }> };
    };
    const doc = (await (await fetch(e.url('/openapi.json'))).json()) as {
      paths: Record<string, { post: Op; get?: Op }>;
    };
    const bodyOf = (path: string) => doc.paths[path]?.post.requestBody.content['application/json']?.schema;
    const untyped = Object.entries(doc.paths).flatMap(([path]) =>
      Object.entries(bodyOf(path)?.properties ?? {})
        .filter(([, schema]) => !('type' in schema || 'enum' in schema || 'anyOf' in schema))
        .map(([name]) => `${path} ${name}`),
    );
    expect(untyped).toEqual([]);
    const create = bodyOf('/folder/create.{format}');
    expect(create?.properties?.name).toMatchObject({ type: 'string', minLength: 3, maxLength: 64 });
    expect(create?.properties?.folder_id).toMatchObject({
      type: 'string',
      pattern: expect.stringMatching(/^\^fld_/),
    });
    expect(create?.required).toEqual(['name', 'parent_id']);
    expect(bodyOf('/network/create.{format}')?.properties?.type).toEqual({
      enum: ['public', 'private', 'hidden'],
    });
    const frames = doc.paths['/item/get_frames.{format}']?.get?.parameters ?? [];
    expect(frames.find((p) => p.name === 'qty')?.schema).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 100,
    });
    expect(frames.find((p) => p.name === 'wait_ms')?.schema).toEqual({
      type: 'integer',
      minimum: 0,
      maximum: 5000,
    });
    expect(frames.map((p) => p.name)).toContain('min_position');
    const create_ = doc.paths['/folder/create.{format}']?.post.parameters ?? [];
    expect(create_.find((p) => p.name === 'Idempotency-Key')).toMatchObject({ in: 'header' });
    expect(create_.map((p) => p.name)).not.toContain('wait_ms');
  });
});

/** An edge of the test's own beside the suite's: its NATS and credentials, configured as `env` says. */
const ownEdge = (env: Record<string, string> = {}, deps: Partial<Parameters<typeof startEdge>[2]> = {}) =>
  startEdge(
    t.nc,
    readEdgeConfig({
      CAMLEDGER_PREFIX: t.prefix,
      CAMLEDGER_EDGE_ADDR: '127.0.0.1:0',
      CAMLEDGER_SECRETS_KEY: 'k',
      ...env,
    }),
    { log: pino({ level: 'silent' }), credentials: e.credentials, ...deps },
  );

/** A form POST signed by `signer` to an edge other than the suite's own. */
const postSigned = (url: string, form: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: {
      ...authorization(signer, 'POST', url, form),
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form).toString(),
  });

describe('the signing URL with CAMLEDGER_EDGE_PUBLIC_URL', () => {
  it('is that URL, path prefix included, not the address the request was sent to', async () => {
    const edge = await ownEdge({ CAMLEDGER_EDGE_PUBLIC_URL: 'https://api.example.test/prefix' });
    try {
      expect(edge.publicUrl).toBe('https://api.example.test/prefix');
      // As behind a proxy: sent to the edge's own address, signed as the client saw it.
      const sentTo = `${edge.address}/folder/create.json`;
      const form = () => ({ name: folderName(), parent_id: '0' });
      const signedFor = (signedUrl: string) => {
        const f = form();
        return fetch(sentTo, {
          method: 'POST',
          headers: {
            ...authorization(signer, 'POST', signedUrl, f),
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams(f).toString(),
        }).then(async (r) => ({ status: r.status, body: await r.json() }));
      };
      expect(await signedFor('https://api.example.test/prefix/folder/create.json')).toMatchObject({
        status: 200,
        body: { code: 10000 },
      });
      expect(await signedFor(sentTo)).toMatchObject({ status: 401, body: { code: 4 } });
    } finally {
      await edge.close();
    }
  });
});

describe('the signing URL without CAMLEDGER_EDGE_PUBLIC_URL', () => {
  it('is http://<CAMLEDGER_EDGE_ADDR> as written: a client calling localhost signs localhost', async () => {
    const edge = await ownEdge({ CAMLEDGER_EDGE_ADDR: 'localhost:0' });
    try {
      expect(edge.publicUrl).toMatch(/^http:\/\/localhost:\d+$/);
      const r = await postSigned(`${edge.publicUrl}/folder/create.json`, {
        name: folderName(),
        parent_id: '0',
      });
      expect(r.status).toBe(200);
    } finally {
      await edge.close();
    }
  });
});

describe('an edge that is stopping', () => {
  it('answers a request that comes on an open connection with the contract: 503, 1500, Connection: close', async () => {
    const edge = await ownEdge();
    const c = await RawConnection.open(edge.address);
    let closing: Promise<void> | undefined;
    try {
      const url = `${edge.publicUrl}/folder/create.json`;
      const form = { name: folderName(), parent_id: '0' };
      const body = new URLSearchParams(form).toString();
      const { host } = new URL(url);
      // A slow request: its headers now, its body once the edge is stopping. The
      // 100 Continue says the edge has read the headers, so the request is under way.
      c.write(
        `POST /folder/create.json HTTP/1.1\r\nHost: ${host}\r\n` +
          `Authorization: ${authorization(signer, 'POST', url, form).Authorization}\r\n` +
          'Content-Type: application/x-www-form-urlencoded\r\n' +
          `Content-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
      );
      expect((await c.next()).status).toBe(100);
      closing = edge.close();
      await untilRefused(edge.address);
      // The rest of the first request, then a second one on the same connection.
      c.write(`${body}GET /nothing/here.json HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
      const first = await c.next();
      expect({ status: first.status, body: JSON.parse(first.body) }).toMatchObject({
        status: 200,
        body: { code: 10000 },
      });
      const second = await c.next();
      expect(second.status).toBe(503);
      expect(second.headers.connection).toBe('close');
      expect(JSON.parse(second.body)).toEqual({
        code: 1500,
        error: 'ServerError',
        message: expect.any(String),
        details: { reason: expect.any(String) },
      });
      await c.closed;
    } finally {
      c.destroy();
      await (closing ?? edge.close());
    }
  });
});

describe('no worker answering', () => {
  it('is 503 with 1500', async () => {
    const lonely = uniquePrefix('edge');
    const edge = await ownEdge({ CAMLEDGER_PREFIX: lonely });
    try {
      const r = await postSigned(`${edge.publicUrl}/folder/create.json`, { name: 'abc', parent_id: '0' });
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({ code: 1500 });
    } finally {
      await edge.close();
      await (await t.nc.jetstreamManager()).streams.delete(`KV_${lonely}_edge_nonces`).catch(() => {});
    }
  });
});

describe('camledger edge (CLI)', () => {
  it('edge sign prints a header curl can use; edge consumer add answers a key and an opened secret', async () => {
    const url = e.url('/folder/create.json');
    const data = `name=${folderName()}&parent_id=0`;
    const signed = await runCamledger(
      [
        'edge',
        'sign',
        '--consumer-key',
        app.key,
        '--consumer-secret',
        app.secret,
        '--token',
        aliceToken.key,
        '--token-secret',
        aliceToken.secret,
        '--data',
        data,
        'POST',
        url,
      ],
      { NATS_URL: natsUrl, CAMLEDGER_PREFIX: t.prefix },
    );
    expect(signed.code).toBe(0);
    const r = await curl(['-X', 'POST', '-H', signed.stdout.trim(), '--data', data, url]);
    expect(r.status).toBe(200);

    const added = await runCamledger(['edge', 'consumer', 'add', '--name', 'Viewer app', '--json'], {
      NATS_URL: natsUrl,
      CAMLEDGER_PREFIX: t.prefix,
    }); // the worker of this file seals with the development key: so does the CLI here
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      code: 10000,
      consumer_key: expect.stringMatching(/^ock_/),
      consumer_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
  });
});

describe('starting the edge', () => {
  it('prints no Fastify deprecation warning (router options given as Fastify 5 wants them)', async () => {
    const warnings: Error[] = [];
    const listen = (w: Error) => warnings.push(w);
    process.on('warning', listen);
    const edge = await ownEdge({}, { nonces: { claim: async () => true } });
    await edge.close();
    // process.emitWarning reports on a later tick.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', listen);
    expect(warnings.filter((w) => w.name === 'FastifyWarning').map((w) => w.message)).toEqual([]);
  });
});
