import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands, sealSecret, secretsKey } from '@camledger/domain';
import { connect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { camledger } from './test-cli.ts';
import { idOf } from './test-history.ts';

// What makes `camledger send` scriptable: its version, the list of what it
// can send, names refused before anything is sent, payloads too large for a
// command line, flags over the environment, and errors that say where to look.

let worker: TestWorker;
let dir: string;
beforeAll(async () => {
  worker = await startTestWorker();
  dir = await mkdtemp(join(tmpdir(), 'camledger-cli-'));
});
afterAll(async () => {
  await worker?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The environment points elsewhere: only the flags can reach the worker. */
const misleading = { CAMLEDGER_PREFIX: 'nobody_here', NATS_URL: 'nats://127.0.0.1:4222' };
const flags = () => ['--prefix', worker.prefix];

describe('camledger --version and commands', () => {
  it('prints the package version', async () => {
    const r = await camledger(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('0.1.0');
  });

  it('lists every sendable command and query with its channel and JSON Schema, follow-up-only ones left out', async () => {
    const r = await camledger(['commands', '--json']);
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout) as Array<{ name: string; channel: string; payload: unknown }>;
    const byName = new Map(listed.map((e) => [e.name, e]));
    for (const c of commands)
      if (c.followUpOnly) expect(byName.has(c.name)).toBe(false);
      else expect(byName.get(c.name)?.channel).toBe(c.internal ? 'internal' : 'cmd');
    expect(byName.get('account.open')).toBeUndefined();
    expect(byName.get('folder.create')?.payload).toMatchObject({
      type: 'object',
      required: ['name', 'parent_id'],
    });
    expect(byName.get('item.get_list')).toMatchObject({ channel: 'query', payload: { type: 'object' } });
    const text = await camledger(['commands']);
    expect(text.stdout).toMatch(/^folder\.create +cmd +\{.*name.*\}$/m);
  });
});

describe('camledger send', () => {
  it('refuses an unknown or follow-up-only command locally, exit 2, suggesting the closest name', async () => {
    const typo = await camledger(['send', 'folder.craete', '{}', ...flags()]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/"folder\.craete" is not a command; did you mean folder\.create\?/);
    const followUp = await camledger(['send', 'account.open', '{}', ...flags()]);
    expect(followUp.code).toBe(2);
    expect(followUp.stderr).toMatch(/account\.open" is run only by workers/);
  });

  it('takes a 10,000-frame item.record from @file and from stdin, with --server and --prefix over the environment', async () => {
    const owner = await worker.client.account.register({ username: 'ingest' });
    const camera = await worker.client.camera.register({
      owner_id: owner.ok ? String(owner.result.user_id) : '',
      label: 'Garden',
      live_view_capable: 0,
    });
    const cameraId = camera.ok ? String(camera.result.camera_id) : '';
    const frames = Array.from({ length: 10_000 }, (_, i) => ({
      identifier: `f${String(i).padStart(26, '0')}`,
      datetime: '2026-01-01 10:00:00',
    }));
    const record = (n: number) =>
      JSON.stringify({
        item_id: idOf('itm', n),
        camera_id: cameraId,
        start_datetime: '2026-01-01 10:00:00',
        end_datetime: '2026-01-01 10:10:00',
        is_alert: 0,
        frames,
      });
    const file = join(dir, 'record.json');
    await writeFile(file, record(1));
    const fromFile = await camledger(
      ['send', 'item.record', `@${file}`, '--server', 'nats://127.0.0.1:4222', ...flags()],
      { env: { ...misleading, NATS_URL: 'nats://127.0.0.1:1' } },
    );
    expect(fromFile.stderr).toBe('');
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ ok: true, code: 10000 });
    const fromStdin = await camledger(['send', 'item.record', '-', ...flags()], {
      env: misleading,
      stdin: record(2),
    });
    expect(JSON.parse(fromStdin.stdout)).toMatchObject({ ok: true, code: 10000 });
    expect(fromStdin.code).toBe(0);
  }, 60_000);

  it('exits 2 naming the subject and prefix when no worker answers, within --timeout', async () => {
    const r = await camledger(['send', 'folder.create', '{"name":"a","parent_id":0}', '--actor', 'usr_x'], {
      env: misleading,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'no worker answers on nobody_here.cmd.folder.create (NATS nats://127.0.0.1:4222) — is a worker running with CAMLEDGER_PREFIX=nobody_here?',
    );
    const id = randomUUID();
    const slow = await camledger(
      ['send', 'folder.create', '{"name":"a","parent_id":0}', '--timeout', 'soon', '--command-id', id],
      { env: misleading },
    );
    expect(slow.code).toBe(2);
    expect(slow.stderr).toMatch(/--timeout "soon"/);
    // 0 is a whole number: the message says which ones are taken.
    const none = await camledger(['send', 'folder.create', '{"name":"a","parent_id":0}', '--timeout', '0'], {
      env: misleading,
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      '--timeout "0" is not a positive whole number of milliseconds (1..999999999)',
    );
  }, 60_000);

  it('an empty --prefix or --server is a usage error, not the built-in default', async () => {
    for (const args of [
      ['--prefix', ''],
      ['--server', ''],
    ]) {
      const r = await camledger([...args, 'send', 'folder.create', '{"name":"abc","parent_id":0}'], {
        env: { CAMLEDGER_PREFIX: worker.prefix },
      });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`${args[0]} needs a value`);
    }
  });

  it('refuses a mistyped name or payload before connecting, even with NATS away', async () => {
    const away = { NATS_URL: 'nats://127.0.0.1:1' };
    const typo = await camledger(['send', 'folder.craete', '{}'], { env: away });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('folder.create');
    expect(typo.stderr).not.toContain('cannot connect');
    const notJson = await camledger(['send', 'folder.create', '{oops'], { env: away });
    expect(notJson.stderr).toContain('the payload is not JSON');
  });

  it('edge subcommands say where nobody answered, as send does, and check --wait-ms first', async () => {
    const r = await camledger(['edge', 'consumer', 'add', '--name', 'x', '--timeout', '300'], {
      env: misleading,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no worker answers on nobody_here.internal.auth.add_consumer');
    const bad = await camledger(
      ['edge', 'token', 'issue', '--consumer', 'k', '--user', 'u', '--wait-ms', 'abc'],
      {
        env: misleading,
      },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--wait-ms "abc"');
  });

  it('edge consumer add exits 1 when the secret came sealed under another key, printing no secret', async () => {
    // An older worker answered the issuer its secrets sealed; one sealed with
    // a key the CLI does not have leaves the caller a key without its secret.
    const prefix = `cli_seal_${randomUUID().slice(0, 8)}`;
    const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
    const sealed = sealSecret(secretsKey('the worker key'), 'clear secret', new Uint8Array(12).fill(7));
    nc.subscribe(`${prefix}.internal.auth.add_consumer`, {
      callback: (_e, m) =>
        m.respond(
          JSON.stringify({
            ok: true,
            code: 10000,
            result: { consumer_key: 'ock_old', consumer_secret: sealed },
          }),
        ),
    });
    await nc.flush();
    try {
      const run = (key: string) =>
        camledger(['edge', 'consumer', 'add', '--name', 'x', '--json', '--prefix', prefix], {
          env: { CAMLEDGER_SECRETS_KEY: key },
        });
      const wrong = await run('another key');
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('does not open with this CAMLEDGER_SECRETS_KEY');
      expect(JSON.parse(wrong.stdout)).toEqual({ code: 10000, consumer_key: 'ock_old' });
      const right = await run('the worker key');
      expect(right.code).toBe(0);
      expect(JSON.parse(right.stdout)).toEqual({
        code: 10000,
        consumer_key: 'ock_old',
        consumer_secret: 'clear secret',
      });
    } finally {
      await nc.close();
    }
  });

  it('exits 2 naming the NATS URL, without its credentials, and the prefix when NATS cannot be reached', async () => {
    const r = await camledger(['send', 'folder.create', '{}'], {
      env: { NATS_URL: 'nats://ops:hunter2@127.0.0.1:1', CAMLEDGER_PREFIX: 'edge_a' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot connect to NATS at nats://127.0.0.1:1 (CAMLEDGER_PREFIX=edge_a)');
    expect(r.stderr).not.toContain('hunter2');
  });
});
