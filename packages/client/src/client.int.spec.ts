import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './client.ts';
import { CommandTimeoutError, ReplyFormatError, RequestTooLargeError } from './outcome.ts';
import { QueryTimeoutError } from './query.ts';

// The client against the real NATS server, with a bare responder standing in
// for a worker that is slow once: what a caller sees on timeouts and retries.

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
let nc: NatsConnection;
beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
});
afterAll(() => nc.close());

const prefix = () => `client${randomBytes(4).toString('hex')}`;

describe('the typed client', () => {
  it('retries a timed-out command with the same command_id, and returns the reply that finally comes', async () => {
    const p = prefix();
    const seen: Array<{ command_id: string; actor: string; payload: unknown }> = [];
    const sub = nc.subscribe(`${p}.cmd.folder.create`);
    void (async () => {
      for await (const msg of sub) {
        seen.push(JSON.parse(msg.string()));
        // The first attempt goes unanswered, as if the worker died mid-command.
        if (seen.length > 1)
          msg.respond(JSON.stringify({ ok: true, code: 10000, result: { folder_id: 'fld_x' } }));
      }
    })();
    const client = createClient(nc, { prefix: p, timeoutMs: 200, retries: 2 });
    const outcome = await client.folder.create({ name: 'Garden', parent_id: 0 }, { actor: 'usr_a' });
    sub.unsubscribe();
    expect(outcome).toEqual({ ok: true, code: 10000, result: { folder_id: 'fld_x' } });
    expect(seen).toHaveLength(2);
    expect(seen[1]?.command_id).toBe(seen[0]?.command_id);
    expect(seen[0]).toMatchObject({ actor: 'usr_a', payload: { name: 'Garden', parent_id: 0 } });
  });

  it('sends internal commands on the internal channel as "system"', async () => {
    const p = prefix();
    const sub = nc.subscribe(`${p}.internal.account.register`, { max: 1 });
    const received = (async () => {
      for await (const msg of sub) {
        msg.respond(JSON.stringify({ ok: true, code: 10000, result: { user_id: 'usr_x' } }));
        return JSON.parse(msg.string()) as { actor: string };
      }
    })();
    await createClient(nc, { prefix: p }).account.register({ username: 'alice' });
    expect(await received).toMatchObject({ actor: 'system' });
  });

  it('throws a typed timeout error naming the command and its id when no worker answers', async () => {
    const client = createClient(nc, { prefix: prefix(), timeoutMs: 100, retries: 1 });
    const error = await client
      .send('folder.create', { name: 'Garden', parent_id: 0 }, { actor: 'usr_a', commandId: 'cmd-77' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandTimeoutError);
    expect(error).toMatchObject({
      command: 'folder.create',
      commandId: 'cmd-77',
      attempts: 2,
      reason: 'no_responders',
    });
  });

  it('answers something that is not a reply with a ReplyFormatError naming the command id, not a SyntaxError or a bad Outcome', async () => {
    const p = prefix();
    const answers = ['<html>502</html>', 'null', '42', '{"ok":"yes"}'];
    const sub = nc.subscribe(`${p}.>`, {
      callback: (_e, msg) => msg.respond(answers.shift() ?? 'null'),
    });
    let delivered = 0;
    const counter = nc.subscribe(`${p}.>`, { callback: () => delivered++ });
    // Retries allowed, yet none is made: a command that got an answer may have run.
    const client = createClient(nc, { prefix: p, timeoutMs: 1_000, retries: 2 });
    try {
      for (let i = 0; i < 3; i++) {
        const failure = await client.folder
          .create({ name: 'Garden', parent_id: 0 }, { actor: 'usr_a', commandId: `cmd-${i}` })
          .catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(ReplyFormatError);
        expect(failure).toMatchObject({ commandId: `cmd-${i}`, subject: `${p}.cmd.folder.create` });
      }
      const queried = await client.query.account.get({}, { actor: 'usr_a' }).catch((e: unknown) => e);
      expect(queried).toBeInstanceOf(ReplyFormatError);
      expect(queried).toMatchObject({ raw: '{"ok":"yes"}', subject: `${p}.query.account.get` });
      await nc.flush();
      expect(delivered).toBe(4);
    } finally {
      sub.unsubscribe();
      counter.unsubscribe();
    }
  });

  it('says "timeout", not "no responders", when the worker took an attempt and then went away', async () => {
    const p = prefix();
    // Takes the first attempt, never answers, and is gone for the retries.
    const taker = nc.subscribe(`${p}.cmd.folder.create`, { max: 1 });
    const client = createClient(nc, { prefix: p, timeoutMs: 200, retries: 2 });
    const error = await client.folder
      .create({ name: 'Garden', parent_id: 0 }, { actor: 'usr_a', commandId: 'cmd-taken' })
      .catch((e: unknown) => e);
    expect(taker.getReceived()).toBe(1);
    expect(error).toBeInstanceOf(CommandTimeoutError);
    expect(error).toMatchObject({ commandId: 'cmd-taken', attempts: 3, reason: 'timeout' });
    expect(String(error)).toContain('retry with command_id cmd-taken');
  });

  it('answers a connection closed mid-command with a CommandTimeoutError naming the command id', async () => {
    const p = prefix();
    const own = await connect({ servers: natsUrl });
    // The worker takes the command; the client's connection closes before any answer.
    const taker = nc.subscribe(`${p}.cmd.folder.create`, { callback: () => void own.close() });
    const client = createClient(own, { prefix: p, timeoutMs: 2_000, retries: 2 });
    const error = await client.folder
      .create({ name: 'Garden', parent_id: 0 }, { actor: 'usr_a', commandId: 'cmd-cut' })
      .catch((e: unknown) => e);
    taker.unsubscribe();
    expect(error).toBeInstanceOf(CommandTimeoutError);
    expect(error).toMatchObject({ commandId: 'cmd-cut', reason: 'connection_closed' });
  });

  it('refuses a request over the server max_payload with a RequestTooLargeError, sending nothing', async () => {
    const p = prefix();
    let delivered = 0;
    const sub = nc.subscribe(`${p}.>`, { callback: () => delivered++ });
    const client = createClient(nc, { prefix: p, timeoutMs: 500, retries: 2 });
    const huge = 'x'.repeat((nc.info?.max_payload ?? 1_048_576) + 1);
    const command = await client.folder
      .create({ name: huge, parent_id: 0 }, { actor: 'usr_a', commandId: 'cmd-huge' })
      .catch((e: unknown) => e);
    expect(command).toBeInstanceOf(RequestTooLargeError);
    expect(command).toMatchObject({ commandId: 'cmd-huge', subject: `${p}.cmd.folder.create` });
    const query = await client.query.folder
      .get({ folder_id: huge }, { actor: 'usr_a' })
      .catch((e: unknown) => e);
    expect(query).toBeInstanceOf(RequestTooLargeError);
    await nc.flush();
    sub.unsubscribe();
    expect(delivered).toBe(0);
  });

  it('gives a query its wait_ms on top of the timeout, and says timeout when even that runs out', async () => {
    const p = prefix();
    // A query server that answers after 400 ms, as one waiting for min_position does.
    const sub = nc.subscribe(`${p}.query.account.get`, {
      callback: (_e, msg) =>
        setTimeout(
          () => msg.respond(JSON.stringify({ ok: true, code: 10000, result: {}, position: 1 })),
          400,
        ),
    });
    const client = createClient(nc, { prefix: p, timeoutMs: 150, retries: 0 });
    try {
      const waited = await client.query.account.get({ min_position: 1, wait_ms: 1_000 }, { actor: 'usr_a' });
      expect(waited).toMatchObject({ ok: true, position: 1 });
      const hurried = await client.query.account.get({}, { actor: 'usr_a' }).catch((e: unknown) => e);
      expect(hurried).toBeInstanceOf(QueryTimeoutError);
      expect(hurried).toMatchObject({ query: 'account.get', reason: 'timeout' });
    } finally {
      sub.unsubscribe();
    }
  });

  it('has no method for a follow-up-only command (never served), but send still reaches any subject', async () => {
    const client = createClient(nc, { prefix: prefix() }) as unknown as Record<
      string,
      Record<string, unknown>
    >;
    expect(client.account?.open).toBeUndefined();
    expect(client.item?.materialize_snapshot).toBeUndefined();
    expect(client.directory).toBeUndefined();
    expect(typeof client.account?.register).toBe('function');
  });
});
