import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepted } from '../support/fixtures.ts';
import { startTestWorker, type TestWorker } from '../support/test-worker.ts';

// Ten thousand bodies no honest client sends: random bytes, JSON of the wrong
// shape, strings near NATS's 1 MB payload limit, and nesting ten thousand
// deep. Each one must get a reply with a contract code (never a timeout,
// never 1500), and the worker must serve a good command afterwards.

let w: TestWorker;
let actor: string;
beforeAll(async () => {
  w = await startTestWorker({ store: 'memory' });
  actor = accepted(await w.client.send('account.register', { username: `fuzz${Date.now().toString(36)}` }))
    .user_id as string;
});
afterAll(() => w.stop());

/** A deterministic generator, so a failure can be replayed by its index. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const subjects = [
  'cmd.folder.create',
  'cmd.folder.rename',
  'cmd.item.save_snapshot',
  'cmd.network.join',
  'cmd.camera.update',
  'cmd.message.send',
  'cmd.forum.post_message',
  'internal.account.register',
  'internal.item.record',
  'cmd.nothing.here',
  'cmd.folder',
  'cmd.folder.create.extra',
];

const oddValues: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e308,
  '',
  ' ',
  'x',
  '0',
  true,
  false,
  [],
  {},
  [1, 2],
  { a: 1 },
  '\u0000',
  '\ud800',
  'é'.repeat(300),
  'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4',
  'fld_zzzzzzzzzzzzzzzzzzzzzzzzzz',
  '__proto__',
  { __proto__: { polluted: 1 } },
  { constructor: { prototype: { polluted: 1 } } },
];
const payloadKeys = [
  'name',
  'parent_id',
  'folder_id',
  'item_id',
  'identifier',
  'cameras',
  'network_id',
  'username',
  'frames',
  'latitude',
  'credits',
  '__proto__',
  'constructor',
];

const deep = (depth: number, open: string, close: string, core = '1') =>
  open.repeat(depth) + core + close.repeat(depth);
const big = (n: number) => 'y'.repeat(n);

type Kind = 'bytes' | 'envelope' | 'payload' | 'huge' | 'deep';
interface Case {
  readonly kind: Kind;
  readonly subject: string;
  readonly body: Uint8Array | string;
}

function makeCase(i: number): Case {
  const rnd = mulberry32(i + 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const subject = pick(subjects);
  const odd = () => pick(oddValues);
  const good = () => ({ command_id: randomUUID(), actor: subject.startsWith('internal') ? 'system' : actor });
  const roll = i % 100;
  if (roll < 35) return { kind: 'bytes', subject, body: randomBytes(Math.floor(rnd() * 600)) };
  if (roll < 60) {
    // The envelope itself is wrong: a field missing, of the wrong type, or the body is no object.
    const envelope: Record<string, unknown> = { command_id: randomUUID(), actor, payload: {} };
    const field = pick(['command_id', 'actor', 'payload', 'correlation_id', 'whole']);
    if (field === 'whole') return { kind: 'envelope', subject, body: JSON.stringify(odd()) ?? 'null' };
    // correlation_id is optional: leaving it out would make a sound envelope.
    if (rnd() < 0.3 && field !== 'correlation_id') delete envelope[field];
    // (A long actor is no malformed envelope: it names no user, 8.)
    else envelope[field] = pick([null, 5, [], true, '', 12.5, ...(field === 'actor' ? [] : [big(200)])]);
    return { kind: 'envelope', subject, body: JSON.stringify(envelope) };
  }
  if (roll < 92) {
    // A sound envelope from a registered user, and a payload of random junk.
    const payload: Record<string, unknown> = {};
    const n = Math.floor(rnd() * 5);
    for (let k = 0; k < n; k++) payload[pick(payloadKeys)] = odd();
    return { kind: 'payload', subject, body: JSON.stringify({ ...good(), payload }) };
  }
  if (roll < 93) {
    // Near the 1 MB NATS limit: in the payload, in the command id, or as the whole body.
    const where = i % 3;
    if (where === 0)
      return { kind: 'huge', subject, body: JSON.stringify({ ...good(), payload: { name: big(900_000) } }) };
    if (where === 1)
      return {
        kind: 'huge',
        subject,
        body: JSON.stringify({ ...good(), command_id: big(900_000), payload: {} }),
      };
    return { kind: 'huge', subject, body: `"${big(900_000)}"` };
  }
  // Nesting ten thousand deep: the whole body, the payload, one parameter, an unknown parameter.
  const where = i % 4;
  const arrays = deep(10_000, '[', ']');
  const objects = deep(10_000, '{"a":', '}');
  if (where === 0) return { kind: 'deep', subject, body: arrays };
  if (where === 1)
    return {
      kind: 'deep',
      subject,
      body: `{"command_id":"${randomUUID()}","actor":"${actor}","payload":${objects}}`,
    };
  if (where === 2)
    return {
      kind: 'deep',
      subject,
      body: `{"command_id":"${randomUUID()}","actor":"${actor}","payload":{"name":${arrays},"parent_id":0}}`,
    };
  return {
    kind: 'deep',
    subject: 'cmd.folder.create',
    body: `{"command_id":"${randomUUID()}","actor":"${actor}","payload":{"name":"Deep ${i}","parent_id":0,"extra":${arrays}}}`,
  };
}

// What each kind may answer. Codes outside these sets mean the worker either
// crashed on the input (1500) or read more into junk than it should.
const validation = [128, 136, 144, 152, 160, 192, 200];
const allowed: Record<Kind, readonly number[]> = {
  bytes: [128],
  envelope: [128],
  // Junk may still be valid by chance (e.g. a name of 'é' x 300 is too long,
  // but `{}` for a folder is 128), or get as far as a not-found code.
  // '__proto__' is a well-formed username, so account.register may accept it (10000) once, then 7000.
  payload: [
    8,
    16,
    ...validation,
    10000,
    7000,
    2000,
    3000,
    4000,
    4100,
    5000,
    5100,
    5200,
    5300,
    5410,
    5411,
    6000,
    6201,
  ],
  huge: [16, 128, 200],
  // An unknown parameter nested deep may be ignored (10000, then 4005 for the
  // same name again) or refused as malformed (128); internal subjects answer 8.
  deep: [8, 16, ...validation, 10000, 4005],
};

describe('a payload nested ten thousand deep', () => {
  // Once answered 1500: hashing the payload for command-id reuse recursed past
  // the stack at ~4 000 levels. The envelope now refuses anything nested deeper
  // than 32 levels (services/command-worker/src/wire/envelope.ts) before any
  // code walks it recursively.
  const send = (payload: string) =>
    w.raw('cmd.folder.create', `{"command_id":"${randomUUID()}","actor":"${actor}","payload":${payload}}`);
  it('answers a contract code, not 1500, whether the nesting is the payload, a parameter or an unknown one', async () => {
    const arrays = deep(10_000, '[', ']');
    const replies = [
      await send(deep(10_000, '{"a":', '}')),
      await send(`{"name":${arrays},"parent_id":0}`),
      await send(`{"name":"Deeply nested","parent_id":0,"extra":${arrays}}`),
    ];
    expect(replies.map((r) => r.code)).not.toContain(1500);
    expect(replies[0]).toMatchObject({ ok: false, code: 128 });
    expect(replies[1]).toMatchObject({ ok: false, code: 128, details: { param: 'name' } });
  });
});

describe('10 000 malformed messages', () => {
  it('answers every one with a contract code, never 1500, and serves a good command after', async () => {
    const total = 10_000;
    const inFlight = 100;
    const bad: string[] = [];
    const badByKind = new Map<string, number>();
    const seen = new Map<number, number>();
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < total; i = next++) {
        const c = makeCase(i);
        let text: string;
        try {
          const reply = await w.nc.request(`${w.prefix}.${c.subject}`, c.body, { timeout: 10_000 });
          text = reply.string();
        } catch (error) {
          bad.push(`#${i} ${c.kind} ${c.subject}: no reply (${String(error)})`);
          continue;
        }
        let code: unknown;
        try {
          code = (JSON.parse(text) as { code?: unknown }).code;
        } catch {
          bad.push(`#${i} ${c.kind}: reply is not JSON: ${text.slice(0, 200)}`);
          continue;
        }
        if (typeof code !== 'number' || !allowed[c.kind].includes(code)) {
          const tag = `${c.kind}:${String(code)}`;
          badByKind.set(tag, (badByKind.get(tag) ?? 0) + 1);
          bad.push(`#${i} ${c.kind} ${c.subject}: code ${String(code)}: ${text.slice(0, 300)}`);
        } else seen.set(code, (seen.get(code) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, lane));

    const folder = await w.client.send('folder.create', { name: 'After the storm', parent_id: 0 }, { actor });
    expect(folder).toMatchObject({ ok: true, code: 10000 });

    expect(bad.slice(0, 20), `${bad.length} bad replies: ${JSON.stringify([...badByKind])}`).toEqual([]);
    expect(seen.get(128)).toBeGreaterThan(3_000);
    expect(seen.has(1500)).toBe(false);
  }, 120_000);
});
