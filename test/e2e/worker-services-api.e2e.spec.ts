import { randomUUID } from 'node:crypto';
import { memoryEventStore, memoryReplyLog } from '@camledger/event-store';
import { createRuntimeDeps } from '@camledger/runtime';
import { connect, createInbox, type Msg, type NatsConnection, RequestStrategy } from 'nats';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningService,
  serviceNameFor,
  startService,
} from '../../services/command-worker/src/service.ts';
import { natsUrl, startTestWorker, type TestWorker, uniquePrefix } from '../support/test-worker.ts';

// What an operator reads through the NATS services API, and what a client
// is promised whatever the endpoints look like: one answer per request.

let nc: NatsConnection;
beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
});
afterAll(() => nc.close());

const envelope = (payload: Record<string, unknown>, actor = 'system') =>
  JSON.stringify({ command_id: randomUUID(), actor, payload });

/** Every reply a request gets within `waitMs`, on an inbox of its own (a plain request would keep only the first). */
async function allReplies(subject: string, body: string, waitMs = 800): Promise<Msg[]> {
  const inbox = createInbox();
  const replies: Msg[] = [];
  const sub = nc.subscribe(inbox, { callback: (_e, msg) => replies.push(msg) });
  await nc.flush();
  nc.publish(subject, body, { reply: inbox });
  await new Promise((r) => setTimeout(r, waitMs));
  sub.unsubscribe();
  return replies;
}

async function statsOf(prefix: string) {
  const client = nc.services.client({ strategy: RequestStrategy.Timer, maxWait: 700 });
  const all = [];
  for await (const s of await client.stats(serviceNameFor(prefix))) all.push(s);
  return all;
}

describe('two workers of one prefix, per-command endpoints and the unknown-action catch-all', () => {
  const prefix = uniquePrefix('srvapi');
  let a: TestWorker;
  let b: TestWorker;
  beforeAll(async () => {
    a = await startTestWorker({ prefix });
    b = await startTestWorker({ prefix });
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
  });

  it('answers a known command exactly once', async () => {
    for (let i = 0; i < 5; i++) {
      const replies = await allReplies(
        `${prefix}.internal.account.register`,
        envelope({ username: `once${i}${Date.now().toString(36)}` }),
        300,
      );
      expect(replies.map((r) => JSON.parse(r.string()).code)).toEqual([10000]);
    }
  });

  it('answers an unknown action exactly once, with 16', async () => {
    for (const subject of [
      'cmd.nothing.here',
      'internal.folder.create',
      'cmd.folder',
      'cmd.folder.create.extra',
    ]) {
      const replies = await allReplies(`${prefix}.${subject}`, envelope({}), 300);
      expect(
        replies.map((r) => JSON.parse(r.string()).code),
        subject,
      ).toEqual([16]);
    }
  });

  it('lists one endpoint per command in $SRV.INFO, each with its payload JSON Schema', async () => {
    const client = nc.services.client({ strategy: RequestStrategy.Timer, maxWait: 700 });
    const infos = [];
    for await (const i of await client.info(serviceNameFor(prefix))) infos.push(i);
    expect(infos).toHaveLength(2);
    const endpoint = infos[0]?.endpoints.find((e) => e.name === 'folder_create');
    expect(endpoint).toMatchObject({
      subject: `${prefix}.cmd.folder.create`,
      queue_group: `${prefix}-workers`,
      metadata: { command: 'folder.create', channel: 'cmd' },
    });
    const schema = JSON.parse(endpoint?.metadata?.schema ?? '{}');
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['name', 'parent_id']));
    expect(infos[0]?.endpoints.map((e) => e.subject)).not.toContain(`${prefix}.cmd.>`);
  });

  it('counts requests per command in $SRV.STATS, summed over the instances', async () => {
    const before = await requestsPerEndpoint(prefix);
    for (let i = 0; i < 3; i++)
      await a.raw('internal.account.register', envelope({ username: `cnt${i}${Date.now().toString(36)}` }));
    for (let i = 0; i < 2; i++)
      await a.raw('cmd.folder.create', envelope({ name: 'Garden', parent_id: 0 }, 'usr_nobody'));
    await a.raw('cmd.nothing.here', envelope({}));
    const after = await requestsPerEndpoint(prefix);
    const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    expect(delta('account_register')).toBe(3);
    expect(delta('folder_create')).toBe(2);
    const others = [...after.keys()].filter((n) => n !== 'account_register' && n !== 'folder_create');
    expect(others.reduce((n, name) => n + delta(name), 0)).toBe(0);
  });
});

async function requestsPerEndpoint(prefix: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const s of await statsOf(prefix))
    for (const e of s.endpoints ?? []) counts.set(e.name, (counts.get(e.name) ?? 0) + e.num_requests);
  return counts;
}

describe('a 1500 in $SRV.STATS', () => {
  const prefix = uniquePrefix('srverr');
  const secret = 'ECONNRESET at 10.1.2.3:2113 password=hunter2';
  let running: RunningService;

  beforeAll(async () => {
    // The same sabotage as server-error.e2e.spec.ts: a store failing in a way the worker cannot foresee.
    const store = memoryEventStore();
    const sabotaged = Object.assign(Object.create(store), {
      readStream: () => Promise.reject(new Error(secret)),
    });
    const log = pino({ level: 'silent' });
    running = await startService(nc, {
      ...createRuntimeDeps({ store: sabotaged, replies: memoryReplyLog(), log }),
      prefix,
      log,
    });
  });
  afterAll(() => running.drain());

  it('keeps the JSON rejection as the body, adds the services API error headers, and counts the error', async () => {
    const replies = await allReplies(`${prefix}.internal.account.register`, envelope({ username: 'dana' }));
    expect(replies).toHaveLength(1);
    const reply = replies[0] as Msg;
    expect(JSON.parse(reply.string())).toMatchObject({ ok: false, code: 1500, error: 'ServerError' });
    expect(reply.headers?.get('Nats-Service-Error-Code')).toBe('1500');

    const [stats] = await statsOf(prefix);
    const endpoint = stats?.endpoints?.find((e) => e.name === 'account_register');
    expect(endpoint?.num_requests).toBe(1);
    expect(endpoint?.num_errors).toBeGreaterThanOrEqual(1);
    expect(endpoint?.last_error).toContain('1500');
    expect(endpoint?.last_error).not.toContain('hunter2');
    expect(endpoint?.processing_time).toBeGreaterThan(0);
  });
});
