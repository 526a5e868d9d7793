import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { authorization } from '../edge/support.ts';
import {
  type CamledgerProcess,
  launcherEntry,
  launcherReady,
  startCamledger,
} from '../support/camledger-process.ts';
import { runCamledger } from '../support/cli-process.ts';
import { natsUrl, uniquePrefix } from '../support/test-worker.ts';
import { spawnWorker } from '../support/worker-process.ts';

// `pnpm start` (DOMAIN.md §5): one process runs the command worker, the
// projector (PGlite), the query server and the HTTP edge. Each test talks to
// it only from outside: NATS as another service would, HTTP as a client
// would, the CLI as an operator would, signals as a supervisor would.

type Reply = {
  ok: boolean;
  code: number;
  result: Record<string, string>;
  position?: number;
  stale?: boolean;
};

let c: CamledgerProcess;
beforeAll(async () => {
  c = await startCamledger();
}, 120_000);
afterAll(() => c?.dispose());

const ask = async (subject: string, envelope: object): Promise<Reply> =>
  (await c.nc.request(`${c.prefix}.${subject}`, JSON.stringify(envelope), { timeout: 15_000 })).json<Reply>();
const internal = (action: string, payload: object) =>
  ask(`internal.${action}`, { command_id: randomUUID(), actor: 'system', payload });

describe('camledger in one process', () => {
  it('is healthy, and answers a command, a query at its position and a signed HTTP request', async () => {
    expect((await fetch(`${c.edgeUrl}/healthz`)).status).toBe(200);

    const username = `one${Date.now()}`;
    const registered = await internal('account.register', { username });
    expect(registered).toMatchObject({ ok: true, position: expect.any(Number) });
    const userId = registered.result.user_id as string;

    const read = await ask('query.account.get', {
      actor: userId,
      payload: { min_position: registered.position, wait_ms: 5000 },
    });
    expect(read).toMatchObject({ ok: true, result: { user_id: userId, username } });
    expect(read.stale).toBeUndefined();
    expect(read.position).toBeGreaterThanOrEqual(registered.position ?? Infinity);

    // The token through the CLI, which returns only once the edge can see it: signed at once, served.
    const consumer = await internal('auth.add_consumer', { name: 'demo' });
    const issued = await runCamledger(
      [
        'edge',
        'token',
        'issue',
        '--consumer',
        String(consumer.result.consumer_key),
        '--user',
        userId,
        '--json',
      ],
      {
        NATS_URL: natsUrl,
        CAMLEDGER_PREFIX: c.prefix,
        CAMLEDGER_SECRETS_KEY: c.env.CAMLEDGER_SECRETS_KEY ?? '',
      },
    );
    expect(issued.code, issued.stderr).toBe(0);
    const token = JSON.parse(issued.stdout) as { token: string; token_secret: string };
    const url = `${c.edgeUrl}/account/get.json`;
    const signer = {
      consumer: {
        key: String(consumer.result.consumer_key),
        secret: String(consumer.result.consumer_secret),
      },
      token: { key: token.token, secret: token.token_secret },
    };
    const response = await fetch(url, {
      headers: { Authorization: authorization(signer, 'GET', url).Authorization },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ code: 10000, result: { user_id: userId, username } });

    // Every answer came from this process's roles (the prefix is its alone).
    // A line is logged after its answer is sent: wait until it has arrived.
    const saidOnce = async (msg: string, match: (line: Record<string, unknown>) => boolean) => {
      for (let i = 0; i < 100 && !c.proc.lines.some((l) => l.msg === msg && match(l)); i++)
        await new Promise((r) => setTimeout(r, 50));
      return c.proc.lines.some((l) => l.msg === msg && match(l));
    };
    expect(await saidOnce('command answered', (l) => String(l.subject).endsWith('account.register'))).toBe(
      true,
    );
    expect(await saidOnce('edge answered', (l) => l.path === '/account/get.json' && l.status === 200)).toBe(
      true,
    );
  }, 120_000);

  it('a bad CAMLEDGER_ROLES stops it at start with exit 2, naming the variable', async () => {
    const bad = spawnWorker({
      env: { NATS_URL: natsUrl, CAMLEDGER_PREFIX: uniquePrefix('bad'), CAMLEDGER_ROLES: 'commands,nope' },
      entry: launcherEntry,
      readyMessage: launcherReady,
    });
    const { code } = await bad.exited;
    expect(code).toBe(2);
    expect(bad.stderr()).toContain('CAMLEDGER_ROLES');
    expect(bad.stderr()).toContain('"nope"');
  }, 60_000);

  it('an EventStoreDB that refuses the connection stops it at start: exit 1, "could not start"', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const { port } = closed.address() as { port: number };
    await new Promise((done) => closed.close(done));
    const dataDir = mkdtempSync(join(tmpdir(), 'camledger-'));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const down = spawnWorker({
      env: {
        NATS_URL: natsUrl,
        CAMLEDGER_PREFIX: uniquePrefix('esdbdown'),
        CAMLEDGER_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: `esdb://127.0.0.1:${port}?tls=false`,
        CAMLEDGER_ROLES: 'commands,projector,queries',
        CAMLEDGER_DATA_DIR: dataDir,
      },
      entry: launcherEntry,
      readyMessage: launcherReady,
    });
    onTestFinished(() => down.kill('SIGKILL'));
    const { code } = await down.exited;
    expect(code).toBe(1);
    expect(
      down.lines.some(
        (l) =>
          l.msg === 'could not start' &&
          /did not answer a first read/.test(String((l.err as { message?: string })?.message)),
      ),
    ).toBe(true);
  }, 60_000);

  it('SIGTERM stops every role and exits 0; nothing answers under its prefix afterwards', async () => {
    const how = await c.proc.stop();
    expect(how).toEqual({ code: 0, signal: null });
    expect(c.proc.lines.some((l) => l.msg === 'stopped')).toBe(true);
    await expect(ask('query.account.get', { actor: 'usr_x', payload: {} })).rejects.toThrow();
    await expect(fetch(`${c.edgeUrl}/healthz`)).rejects.toThrow();
  }, 60_000);
});

describe('camledger in one process on the memory store (a demo with NATS only)', () => {
  it('projects the log its worker writes: a query at the position of a command sees it', async () => {
    const demo = await startCamledger({
      CAMLEDGER_STORE: 'memory',
      CAMLEDGER_ROLES: 'commands,projector,queries',
    });
    try {
      const askDemo = async (subject: string, envelope: object): Promise<Reply> =>
        (
          await demo.nc.request(`${demo.prefix}.${subject}`, JSON.stringify(envelope), { timeout: 15_000 })
        ).json<Reply>();
      const username = `mem${Date.now()}`;
      const registered = await askDemo('internal.account.register', {
        command_id: randomUUID(),
        actor: 'system',
        payload: { username },
      });
      expect(registered).toMatchObject({ ok: true, position: expect.any(Number) });
      const read = await askDemo('query.account.get', {
        actor: registered.result.user_id,
        payload: { min_position: registered.position, wait_ms: 5000 },
      });
      expect(read).toMatchObject({ ok: true, result: { username } });
      expect(read.stale).toBeUndefined();
    } finally {
      await demo.dispose();
    }
  }, 120_000);
});
