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

/**
 * Every reply a request gets, on an inbox of its own (a plain request would
 * keep only the first): waits up to 10 s for the first, then `waitMs` more
 * for a second that should not come. A slow machine then delays the test
 * instead of failing it.
 */
async function allReplies(subject: string, body: string, waitMs = 800): Promise<Msg[]> {
  const inbox = createInbox();
  const replies: Msg[] = [];
  let first: () => void = () => {};
  const answered = new Promise<void>((resolve) => {
    first = resolve;
  });
  const sub = nc.subscribe(inbox, {
    callback: (_e, msg) => {
      replies.push(msg);
      first();
    },
  });
  await nc.flush();
  nc.publish(subject, body, { reply: inbox });
  await Promise.race([answered, new Promise((r) => setTimeout(r, 10_000))]);
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

describe('two workers of one prefix, one wildcard endpoint per channel', () => {
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

  it('lists one endpoint per channel in $SRV.INFO, with its commands and each payload JSON Schema', async () => {
    const client = nc.services.client({ strategy: RequestStrategy.Timer, maxWait: 700 });
    const infos = [];
    for await (const i of await client.info(serviceNameFor(prefix))) infos.push(i);
    expect(infos).toHaveLength(2);
    const endpoints = infos[0]?.endpoints ?? [];
    expect(endpoints.map((e) => [e.name, e.subject, e.queue_group])).toEqual([
      ['cmd', `${prefix}.cmd.>`, `${prefix}-workers`],
      ['internal', `${prefix}.internal.>`, `${prefix}-workers`],
    ]);
    const cmd = endpoints[0];
    expect(cmd?.metadata?.channel).toBe('cmd');
    expect(cmd?.metadata?.commands?.split(',')).toContain('folder.create');
    expect(cmd?.metadata?.commands?.split(',')).not.toContain('account.register');
    expect(endpoints[1]?.metadata?.commands?.split(',')).toContain('account.register');
    const schema = JSON.parse(cmd?.metadata?.schemas ?? '{}')['folder.create'];
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['name', 'parent_id']));
  });

  it('counts requests per channel, and per command in the endpoint data, summed over the instances', async () => {
    const before = await requestsPerCommand(prefix);
    for (let i = 0; i < 3; i++)
      await a.raw('internal.account.register', envelope({ username: `cnt${i}${Date.now().toString(36)}` }));
    for (let i = 0; i < 2; i++)
      await b.raw('cmd.folder.create', envelope({ name: 'Garden', parent_id: 0 }, 'usr_nobody'));
    await a.raw('cmd.nothing.here', envelope({}));
    const after = await requestsPerCommand(prefix);
    const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    expect(delta('account.register')).toBe(3);
    expect(delta('folder.create')).toBe(2);
    expect(delta('cmd (unknown)')).toBe(1);
    expect(delta('endpoint cmd')).toBe(3);
    expect(delta('endpoint internal')).toBe(3);
    const commandsCounted = [...after.keys()].filter(
      (n) => !n.startsWith('endpoint') && !n.includes('unknown'),
    );
    expect(commandsCounted.reduce((n, name) => n + delta(name), 0)).toBe(5);
  });
});

/** Requests per command (`data.commands`), per channel's unknown subjects and per endpoint, summed over the workers. */
async function requestsPerCommand(prefix: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const add = (name: string, n: number) => counts.set(name, (counts.get(name) ?? 0) + n);
  for (const s of await statsOf(prefix))
    for (const e of s.endpoints ?? []) {
      add(`endpoint ${e.name}`, e.num_requests);
      const data = e.data as { commands: Record<string, { num_requests: number }>; unknown_actions: number };
      for (const [command, figures] of Object.entries(data.commands)) add(command, figures.num_requests);
      add(`${e.name} (unknown)`, data.unknown_actions);
    }
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
    const endpoint = stats?.endpoints?.find((e) => e.name === 'internal');
    expect(endpoint?.num_requests).toBe(1);
    expect(endpoint?.num_errors).toBeGreaterThanOrEqual(1);
    expect(endpoint?.last_error).toContain('1500');
    expect(endpoint?.last_error).not.toContain('hunter2');
    expect(endpoint?.processing_time).toBeGreaterThan(0);
    const register = (endpoint?.data as { commands: Record<string, Record<string, number>> } | undefined)
      ?.commands['account.register'];
    expect(register).toMatchObject({ num_requests: 1, num_errors: 1 });
    expect(register?.processing_time).toBeGreaterThan(0);
  });
});
