import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './client.ts';
import { CommandTimeoutError, ReplyFormatError } from './outcome.ts';

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
    const client = createClient(nc, { prefix: p, timeoutMs: 1_000, retries: 0 });
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
    } finally {
      sub.unsubscribe();
    }
  });
});
