import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CamledgerProcess, startCamledger } from '../support/camledger-process.ts';
import { natsUrl, startTestWorker, type TestWorker } from '../support/test-worker.ts';

// The README's shell examples, read out of README.md and run exactly as
// written (through npx, from the repository) against a real worker, so the
// README cannot drift from what works. `usr_…` in an example stands for the
// user the example before it registered.

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Sending a command'));
const examples = section
  .slice(0, section.indexOf('\n## ', 1))
  .split('\n')
  .filter((line) => /^ {4}npx camledger /.test(line))
  .map((line) => line.trim());

let worker: TestWorker;
beforeAll(async () => {
  worker = await startTestWorker({ store: 'jetstream' });
});
afterAll(() => worker?.stop());

describe("the README's shell examples", () => {
  it('are found in the README', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    expect(examples.some((e) => e.includes('usr_…'))).toBe(true);
  });

  it('each exits 0 against a running worker', async () => {
    let userId: string | undefined;
    for (const example of examples) {
      if (example.includes('usr_…')) expect(userId, `a user before: ${example}`).toBeDefined();
      const line = example.replaceAll('usr_…', userId ?? '');
      const result = await run('bash', ['-c', line], {
        cwd: root,
        env: {
          ...process.env,
          NATS_URL: natsUrl,
          CAMLEDGER_PREFIX: worker.prefix,
          CAMLEDGER_STORE: 'jetstream',
        },
        maxBuffer: 16 * 1024 * 1024,
      }).catch((error: { code: number; stderr: string }) => {
        throw new Error(`${example}\nexit ${error.code}: ${error.stderr}`);
      });
      const registered = /"user_id": "(usr_[0-9A-Z]+)"/.exec(result.stdout);
      if (example.includes('account.register') && registered) userId = registered[1];
    }
    expect(userId).toMatch(/^usr_/);
  }, 120_000);
});

// The edge example runs against camledger as `pnpm start` runs it (every role
// in one process), its edge on a free port standing in for 127.0.0.1:8080.
// `usr_…`, `ock_…`, `otk_…`, CONSUMER_SECRET and TOKEN_SECRET stand for what
// the lines before printed.
const edgeSection = readme.slice(readme.indexOf('## Calling the HTTP edge'));
const edgeExamples = edgeSection
  .slice(0, edgeSection.indexOf('\n## ', 1))
  .split('\n')
  .filter((line) => /^ {4}(npx camledger |curl )/.test(line))
  .map((line) => line.replace(/\s+#\s.*$/, '').trim());
const placeholders = [
  ['usr_…', 'user_id'],
  ['ock_…', 'consumer_key'],
  ['otk_…', 'token'],
  ['CONSUMER_SECRET', 'consumer_secret'],
  ['TOKEN_SECRET', 'token_secret'],
] as const;

describe("the README's signed request to the edge", () => {
  let c: CamledgerProcess;
  beforeAll(async () => {
    c = await startCamledger();
  }, 150_000);
  afterAll(() => c?.dispose());

  it('works as written: the curl line is served with the registered user', async () => {
    expect(edgeExamples.at(-1)).toMatch(/^curl .*edge sign .*http:\/\/127\.0\.0\.1:8080\//);
    const printed: Record<string, string> = {};
    let last = '';
    for (const example of edgeExamples) {
      let line = example.replaceAll('http://127.0.0.1:8080', c.edgeUrl);
      for (const [placeholder, field] of placeholders) {
        if (!line.includes(placeholder)) continue;
        expect(printed[field], `${field} printed before: ${example}`).toBeDefined();
        line = line.replaceAll(placeholder, printed[field] ?? '');
      }
      const result = await run('bash', ['-c', line], {
        cwd: root,
        env: { ...process.env, NATS_URL: natsUrl, CAMLEDGER_PREFIX: c.prefix, CAMLEDGER_STORE: 'jetstream' },
        maxBuffer: 16 * 1024 * 1024,
      }).catch((error: { code: number; stderr: string }) => {
        throw new Error(`${example}\nexit ${error.code}: ${error.stderr}`);
      });
      for (const [, field] of placeholders) {
        const value = new RegExp(`"${field}": ?"([^"]+)"`).exec(result.stdout)?.[1];
        if (value) printed[field] ??= value;
      }
      last = result.stdout;
    }
    expect(JSON.parse(last)).toMatchObject({
      code: 10000,
      result: { user_id: printed.user_id, username: 'dana' },
    });
  }, 180_000);
});
