import { randomUUID } from 'node:crypto';
import { readConfig, startWorker, type Worker } from '@camledger/command-worker';
import { openSecret, secretsKey } from '@camledger/domain';
import { deleteJetStreamNamespace } from '@camledger/event-store';
import { connect, type NatsConnection } from 'nats';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomId } from '../support/ids.ts';
import { natsUrl, uniquePrefix } from '../support/test-worker.ts';

// DOMAIN.md §6: OAuth secrets are encrypted at rest (events, the reply log),
// in no log line, and in clear only in the reply to the one who issued them
// (a retry of that command included). After issuing a consumer and a token through a real
// worker on JetStream, every byte JetStream holds under the prefix and every
// log line the worker wrote is searched for the clear secrets.

const material = `at-rest test key ${randomUUID()}`;
const prefix = uniquePrefix('sar');
const logs: string[] = [];
let worker: Worker;
let nc: NatsConnection;

beforeAll(async () => {
  process.env.CAMLEDGER_SECRETS_KEY = material;
  const config = readConfig({ NATS_URL: natsUrl, CAMLEDGER_PREFIX: prefix, CAMLEDGER_STORE: 'jetstream' });
  worker = await startWorker(config, {
    log: pino({ level: 'trace' }, { write: (l: string) => void logs.push(l) }),
  });
  nc = await connect({ servers: natsUrl });
});

afterAll(async () => {
  await worker?.stop();
  if (nc) {
    await deleteJetStreamNamespace(nc, prefix);
    await nc.close();
  }
});

const internal = async (action: string, payload: Record<string, unknown>, commandId = randomUUID()) => {
  const msg = await nc.request(
    `${prefix}.internal.${action}`,
    JSON.stringify({ command_id: commandId, actor: 'system', payload }),
    { timeout: 10_000 },
  );
  return msg.json<{ ok: boolean; code: number; result: Record<string, string> }>();
};

/** Every message of every stream of this prefix (events, reply log, checkpoints...), as text. */
async function everythingJetStreamHolds(): Promise<string> {
  const jsm = await nc.jetstreamManager();
  const texts: string[] = [];
  for await (const info of jsm.streams.list()) {
    if (!info.config.name.includes(prefix)) continue;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(info.config.name, { seq }).catch(() => undefined);
      if (m) texts.push(m.subject, new TextDecoder().decode(m.data));
    }
  }
  return texts.join('\n');
}

it('the event log, the reply log and the logs hold the secrets only sealed; a retry answers the same', async () => {
  const user = randomId('usr');
  await internal('account.register', { user_id: user, username: `u${Date.now()}` });
  const added = await internal('auth.add_consumer', { name: 'Viewer app' });
  expect(added).toMatchObject({ ok: true, code: 10000 });
  const issueId = randomUUID();
  const issued = await internal(
    'auth.issue_token',
    { consumer_key: added.result.consumer_key, user_id: user },
    issueId,
  );
  expect(issued).toMatchObject({ ok: true, code: 10000, result: { token: expect.stringMatching(/^otk_/) } });

  // The issuer's reply is the one place the secrets are in clear (DOMAIN.md §6).
  const consumerSecret = added.result.consumer_secret;
  const tokenSecret = issued.result.token_secret;
  expect(consumerSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(tokenSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);

  // A retry answers the first reply: the same clear secret, no second token.
  expect(
    await internal('auth.issue_token', { consumer_key: added.result.consumer_key, user_id: user }, issueId),
  ).toEqual(issued);

  const held = await everythingJetStreamHolds();
  expect(held).toContain('TokenIssued');
  // What rests is the seal, and it opens to the secret the issuer was given.
  const key = secretsKey(material);
  const seals = [...held.matchAll(/v1\.[A-Za-z0-9_-]+/g)].map((m) => openSecret(key, m[0]));
  expect(seals).toContain(tokenSecret);
  expect(seals).toContain(consumerSecret);
  const written = logs.join('\n');
  expect(written).toContain('command answered');
  for (const secret of [consumerSecret, tokenSecret] as string[]) {
    expect(held).not.toContain(secret);
    expect(written).not.toContain(secret);
    expect(written).not.toContain(Buffer.from(secret, 'base64url').toString('base64'));
  }
});
