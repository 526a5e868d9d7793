import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it, onTestFinished } from 'vitest';

// A log reader that stalls (a stuck agent, a full logging driver) must cost
// log lines, not the worker's memory: 100 MB of lines into a stdout nobody
// reads, then the heap is measured.

const logger = fileURLToPath(new URL('./logger.ts', import.meta.url));
const script = `
  const { createLogger } = await import(${JSON.stringify(logger)});
  const log = createLogger('stalled');
  const pad = 'x'.repeat(200);
  for (let i = 0; i < 400_000; i++) log.info({ i, pad }, 'line');
  globalThis.gc?.();
  process.stderr.write('heap ' + process.memoryUsage().heapUsed + '\\n');
`;

it('keeps at most a bounded backlog of lines when stdout is not read', async () => {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Its exit would wait for the pipe to take the rest: it is not asked to, even if the test fails.
  onTestFinished(() => {
    child.kill('SIGKILL');
  });
  child.stdout.pause(); // never read: the pipe fills, and the lines wait in the process
  let stderr = '';
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/heap \d+\n/.test(stderr)) resolve();
    });
    child.once('exit', () => resolve());
  });
  const heap = Number(/heap (\d+)/.exec(stderr)?.[1]);
  expect(heap, stderr).toBeGreaterThan(0);
  // 100 MB were logged; the backlog is capped at 16 MiB.
  expect(heap).toBeLessThan(60 * 1024 * 1024);
}, 60_000);
