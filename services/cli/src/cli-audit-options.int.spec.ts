import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectJetStreamStore } from '@camledger/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, natsServerBinary, portAccepts } from '../../../test/support/nats-server.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { runReplay } from './replay.ts';
import { camledger, repositoryRoot } from './test-cli.ts';

// The audit subcommands on a history a real worker wrote to JetStream:
// read-only opening, the prefix named when there is no history, history
// following a command into its follow-ups, the wire's date-times, a closed
// pipe, and the progress bar's real total.

const run = promisify(execFile);
let worker: TestWorker;
let env: Record<string, string>;
const commandId = randomUUID();
let userId: string;

/** `yyyy-mm-dd hh:mm:ss` UTC, as the wire writes date-times. */
const wire = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

beforeAll(async () => {
  worker = await startTestWorker({ store: 'jetstream' });
  env = { CAMLEDGER_PREFIX: worker.prefix, CAMLEDGER_STORE: 'jetstream' };
  const registered = await worker.client.account.register({ username: 'auditee' }, { commandId });
  userId = registered.ok ? String(registered.result.user_id) : '';
  await worker.client.folder.create({ name: 'Garden', parent_id: 0 }, { actor: userId });
});
afterAll(() => worker?.stop());

describe('audit stores are opened read-only', () => {
  it('exits 2 naming the prefix when it has no history, and creates no stream for it', async () => {
    const prefix = `${worker.prefix}typo`;
    const r = await camledger(['audit', 'replay'], { env: { ...env, CAMLEDGER_PREFIX: prefix } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no history under CAMLEDGER_PREFIX=${prefix}`);
    const jsm = await worker.nc.jetstreamManager();
    await expect(jsm.streams.info(`${prefix}_events`)).rejects.toThrow();
  });

  it('exits 2 with no history on an events stream whose messages were all purged', async () => {
    const purged = await startTestWorker({ store: 'jetstream' });
    try {
      await purged.client.account.register({ username: 'gone' });
      const jsm = await purged.nc.jetstreamManager();
      await jsm.streams.purge(`${purged.prefix}_events`);
      const r = await camledger(['audit', 'verify'], { env: { ...env, CAMLEDGER_PREFIX: purged.prefix } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`no history under CAMLEDGER_PREFIX=${purged.prefix}`);
    } finally {
      await purged.stop();
    }
  });

  it('accepts CAMLEDGER_TRASH_RETENTION=P2W', async () => {
    const r = await camledger(['audit', 'verify'], { env: { ...env, CAMLEDGER_TRASH_RETENTION: 'P2W' } });
    expect(r.stderr).not.toMatch(/CAMLEDGER_TRASH_RETENTION/);
    expect(r.code).toBe(0);
  });
});

describe('audit history', () => {
  const lines = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { commandId: string; type: string; stream: string });

  it('--command-id shows the command and the follow-ups it caused, in other streams', async () => {
    const r = await camledger(['audit', 'history', '--command-id', commandId, '--json'], { env });
    expect(r.code).toBe(0);
    const events = lines(r.stdout);
    expect(events.map((e) => e.type)).toEqual(['UsernameClaimed', 'AccountRegistered']);
    expect(events[0]?.commandId).toBe(commandId);
    expect(events[1]?.stream).toBe(`account-${userId}`);
    expect(events[1]?.commandId.startsWith(`${commandId}>`)).toBe(true);
  });

  it('--correlation-id finds the same events; --since and --until take the wire format', async () => {
    const byCorrelation = await camledger(['audit', 'history', '--correlation-id', commandId, '--json'], {
      env,
    });
    expect(lines(byCorrelation.stdout).map((e) => e.type)).toEqual(['UsernameClaimed', 'AccountRegistered']);
    const now = Date.now();
    const window = await camledger(
      ['audit', 'history', '--since', wire(now - 3_600_000), '--until', wire(now + 3_600_000), '--json'],
      { env },
    );
    expect(lines(window.stdout).map((e) => e.type)).toContain('FolderCreated');
    const before = await camledger(['audit', 'history', '--until', '2000-01-01 00:00:00'], { env });
    expect(before.code).toBe(1);
    const impossible = await camledger(['audit', 'history', '--since', '2026-02-30 00:00:00'], { env });
    expect(impossible.code).toBe(2);
    expect(impossible.stderr).toMatch(/--since "2026-02-30 00:00:00": .*February 2026 has 28 days/);
  });
});

describe('audit as-of', () => {
  it('takes the wire date format, and exits 1 for a stream with no events', async () => {
    const r = await camledger(['audit', 'as-of', `account-${userId}`, wire(Date.now() + 60_000)], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ revision: 0, state: { username: 'auditee' } });
    const missing = await camledger(['audit', 'as-of', 'account-usr_NOBODY', '2026-01-01 00:00:00'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('stream account-usr_NOBODY has no events');
  });
});

describe('output to a pipe and to a terminal', () => {
  const cli = 'node --import tsx services/cli/src/main.ts';
  const shell = (script: string) =>
    run('bash', ['-c', script], { cwd: repositoryRoot, env: { ...process.env, ...env } });

  it('stops quietly when the reader closes the pipe', async () => {
    const head = await shell(`${cli} audit replay | head -1; echo "status \${PIPESTATUS[0]}" >&2`);
    // The report's first line, and the CLI's own exit status (not head's).
    expect(head.stdout.trim()).toMatch(/^\d+ events in \d+ streams, /);
    expect(head.stderr).not.toMatch(/EPIPE|Error/);
    expect(head.stderr).toContain('status 0');
    // `true` reads nothing: every write of the CLI meets a closed pipe.
    const closed = await shell(
      `${cli} audit history --since 2000-01-01T00:00:00Z | true; echo "status \${PIPESTATUS[0]}" >&2`,
    );
    expect(closed.stderr).not.toMatch(/EPIPE|Error/);
    expect(closed.stderr).toContain('status 0');
  }, 60_000);

  it('draws a bar on a terminal with the log head as its total, and clears it when done', async () => {
    const store = await connectJetStreamStore(worker.nc, {
      prefix: worker.prefix,
      replicas: 1,
      readOnly: true,
    });
    const head = await store.headPosition();
    await store.close();
    // `script` gives the CLI a terminal; stdout and stderr both land in its output.
    const { stdout } = await run('script', ['-qec', `${cli} audit replay`, '/dev/null'], {
      cwd: repositoryRoot,
      env: { ...process.env, ...env },
    });
    const bar = stdout.lastIndexOf(`/${head} |`);
    expect(bar).toBeGreaterThan(-1);
    expect(stdout.indexOf('\x1b[2K', bar)).toBeGreaterThan(bar);
    expect(stdout).toMatch(/\d+ events in \d+ streams/);
  }, 60_000);

  it('writes plain progress lines naming the total when stderr is not a terminal', async () => {
    const store = await connectJetStreamStore(worker.nc, {
      prefix: worker.prefix,
      replicas: 1,
      readOnly: true,
    });
    const head = await store.headPosition();
    const err: string[] = [];
    await runReplay(store, { progressEvery: 1 }, { out: () => {}, err: (l) => err.push(l) });
    await store.close();
    expect(err.at(-1)).toMatch(new RegExp(`^replay: position ${head} of ${head}, \\d+ events`));
  });
});

describe('NATS_URL credentials', () => {
  let server: ChildProcess;
  let dir: string;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    dir = await mkdtemp(join(tmpdir(), 'camledger-auth-'));
    server = spawn(
      natsServerBinary,
      ['-js', '-sd', dir, '-p', String(port), '--user', 'cli', '--pass', 's3cret'],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 50 && !(await portAccepts(port)); i++) await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(async () => {
    server?.kill('SIGTERM');
    await new Promise((r) => server?.once('exit', r));
    await rm(dir, { recursive: true, force: true });
  });

  it('are used by the CLI as by the worker', async () => {
    const withThem = await camledger(['audit', 'replay'], {
      env: { ...env, NATS_URL: `nats://cli:s3cret@127.0.0.1:${port}` },
    });
    // Connected: the server has no history under the prefix, which the CLI says.
    expect(withThem.stderr).toContain(
      `no history under CAMLEDGER_PREFIX=${worker.prefix} on nats://127.0.0.1:${port}`,
    );
    const without = await camledger(['audit', 'replay'], {
      env: { ...env, NATS_URL: `nats://127.0.0.1:${port}` },
    });
    expect(without.stderr).toMatch(/cannot connect to NATS at .*AUTHORIZATION_VIOLATION/);
  });
});
