import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { announce, createLogger } from './logger.ts';

const dir = mkdtempSync(join(tmpdir(), 'camledger-logger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits up to `ms` for `ready()`. The periodic flush's interval is a fake
 * timer in these tests (below): a line that lands without advancing it was
 * written at once, however slow the machine, and one that waits for it
 * cannot land by accident.
 */
async function within(ms: number, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready() && Date.now() < deadline) await sleep(5);
}
const linesIn = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** A logger writing to a file of its own, once the file is open. */
async function loggerOn(name: string, level: string | undefined = 'info') {
  const file = join(dir, name);
  const log = createLogger('camledger-test', level, file);
  // The destination opens its file asynchronously (stdout is open from the start).
  const destination = (
    log as unknown as Record<symbol, { fd: number; once(e: 'ready', f: () => void): void }>
  )[pino.symbols.streamSym];
  if (!destination) throw new Error('pino keeps its destination under streamSym');
  if (destination.fd < 0) await new Promise<void>((resolve) => destination.once('ready', resolve));
  return { log, file, messages: () => linesIn(file).map((l) => l.msg) };
}

describe('the log of a camledger process', () => {
  // Only the interval is faked: file writes and the polling above run in real time.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gathers info lines and writes them within a quarter second', async () => {
    const { log, messages } = await loggerOn('info.log');
    log.info({ commandId: 'c1' }, 'command answered');
    log.info({ commandId: 'c2' }, 'command answered');
    await sleep(300);
    expect(messages()).toEqual([]);
    vi.advanceTimersByTime(250);
    await within(2_000, () => messages().length === 2);
    expect(messages()).toEqual(['command answered', 'command answered']);
  });

  it('writes 4 KiB of lines at once, without waiting for the timer', async () => {
    const { log, messages } = await loggerOn('full.log');
    for (let i = 0; i < 40; i++)
      log.info({ commandId: `c${i}`, padding: 'x'.repeat(100) }, 'command answered');
    await within(2_000, () => messages().length >= 30);
    expect(messages().length).toBeGreaterThanOrEqual(30);
  });

  it('writes a warning at once, with the info lines before it, also from a child logger', async () => {
    const { log, file, messages } = await loggerOn('warn.log');
    const child = log.child({ role: 'commands' });
    child.info('command answered');
    child.warn('disconnected from NATS');
    await within(2_000, () => messages().length === 2);
    expect(messages()).toEqual(['command answered', 'disconnected from NATS']);
    expect(linesIn(file)[1]).toMatchObject({ level: 40, role: 'commands', service: 'camledger-test' });
  });

  it('writes an announced line at once', async () => {
    const { log, messages } = await loggerOn('ready.log');
    announce(log, { prefix: 'p' }, 'camledger command worker ready');
    await within(2_000, () => messages().length === 1);
    expect(messages()).toEqual(['camledger command worker ready']);
  });

  it('reads an empty LOG_LEVEL as unset, and one it does not know as info, saying so at warn', async () => {
    const empty = await loggerOn('empty-level.log', '');
    expect(empty.log.level).toBe('info');
    const loud = await loggerOn('loud-level.log', 'loud');
    expect(loud.log.level).toBe('info');
    // Written before its file was open: it leaves with the next flush.
    vi.advanceTimersByTime(250);
    await within(2_000, () => loud.messages().length === 1);
    expect(loud.messages()).toEqual([expect.stringContaining('LOG_LEVEL "loud" is not a level')]);
    expect((await loggerOn('debug-level.log', 'debug')).log.level).toBe('debug');
  });
});
