import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsUrl, startTestWorker, type TestWorker } from '../support/test-worker.ts';

// The packages as a user outside this repository gets them: built to
// JavaScript, packed by pnpm (workspace:* becomes a version), installed with
// plain npm into a project in the system's temp directory, and run with plain
// node against a real worker: no TypeScript, no tsx, no workspace.

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const packed = [
  '@camledger/domain',
  '@camledger/client',
  '@camledger/event-store',
  '@camledger/runtime',
  '@camledger/command-worker',
  '@camledger/cli',
];
const pnpm = (args: string[]) =>
  run('npx', ['--yes', 'pnpm@10.34.8', '-r', ...packed.flatMap((p) => ['--filter', p]), ...args], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });

let scratch: string;
let worker: TestWorker;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'camledger-scratch-'));
  const tarballs = join(scratch, 'tarballs');
  const [started] = await Promise.all([
    startTestWorker(),
    (async () => {
      await pnpm(['run', 'build']);
      await pnpm(['pack', '--pack-destination', tarballs]);
    })(),
  ]);
  worker = started;
  const project = join(scratch, 'project');
  await run('mkdir', ['-p', project]);
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'scratch', private: true, type: 'module' }),
  );
  const files = (await readdir(tarballs)).map((f) => join(tarballs, f));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...files], {
    cwd: project,
  });
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const project = () => join(scratch, 'project');
const installed = (name: string) => join(project(), 'node_modules', name);

describe('the packed packages', () => {
  it('point exports, types and bin at built JavaScript, name versions, and carry the MIT licence', async () => {
    for (const name of packed) {
      const manifest = JSON.parse(await readFile(join(installed(name), 'package.json'), 'utf8'));
      expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain('workspace:');
      expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
      expect(existsSync(join(installed(name), 'dist', 'index.d.ts'))).toBe(true);
      expect(existsSync(join(installed(name), 'src'))).toBe(false);
      expect(manifest.license).toBe('MIT');
      expect(await readFile(join(installed(name), 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    }
    expect(existsSync(installed('tsx'))).toBe(false);
  });

  it("the client's types reach a TypeScript consumer through the emitted .d.ts", async () => {
    await writeFile(
      join(project(), 'consumer.ts'),
      `import { createClient, type Outcome } from '@camledger/client';
import type { NatsConnection } from 'nats';
export async function send(nc: NatsConnection): Promise<Outcome> {
  const client = createClient(nc, { prefix: 'p' });
  // @ts-expect-error a folder's name is a string: typed from the domain's zod schema
  await client.folder.create({ name: 1, parent_id: 0 });
  return client.folder.create({ name: 'Garden', parent_id: 0 }, { actor: 'usr_x' });
}
`,
    );
    await writeFile(
      join(project(), 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
        files: ['consumer.ts'],
      }),
    );
    // The repository's compiler, run on the scratch project.
    const tsc = join(root, 'node_modules', '.bin', 'tsc');
    await expect(run(tsc, ['-p', join(project(), 'tsconfig.json')])).resolves.toBeDefined();
  });

  it('the client sends a command to a real worker from plain node', async () => {
    await writeFile(
      join(project(), 'send.mjs'),
      `import { createClient } from '@camledger/client';
import { connect } from 'nats';
const nc = await connect({ servers: process.env.NATS_URL });
const client = createClient(nc, { prefix: process.env.CAMLEDGER_PREFIX });
const reply = await client.account.register({ username: 'packed' });
console.log(JSON.stringify(reply));
await nc.close();
`,
    );
    const { stdout } = await run('node', ['send.mjs'], {
      cwd: project(),
      env: { ...process.env, NATS_URL: natsUrl, CAMLEDGER_PREFIX: worker.prefix },
    });
    expect(JSON.parse(stdout)).toMatchObject({
      ok: true,
      code: 10000,
      result: { user_id: expect.any(String) },
    });
  });

  it('the CLI runs from its bin without tsx: --version, and a command sent', async () => {
    const bin = join(project(), 'node_modules', '.bin', 'camledger');
    const version = await run(bin, ['--version'], { cwd: project() });
    expect(version.stdout.trim()).toBe('0.1.0');
    const sent = await run(
      bin,
      ['--prefix', worker.prefix, 'send', 'account.register', '{"username":"binary"}'],
      {
        cwd: project(),
        env: { ...process.env, NATS_URL: natsUrl },
      },
    );
    expect(JSON.parse(sent.stdout)).toMatchObject({ ok: true, code: 10000 });
  });
});
