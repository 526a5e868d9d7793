import { describe, expect, it } from 'vitest';
import { KeyedMutex } from './keyed-mutex.ts';

// Turns on one key: a task waits for every task queued before it on that
// key, and a failing task does not break the line.

const gate = () => {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

describe('turns on one key', () => {
  it('a task queued while the line is still busy waits for the last one, not only the first', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const first = gate();
    const second = gate();
    const a = mutex.run('k', async () => {
      await first.opened;
      log.push('a');
    });
    const b = mutex.run('k', async () => {
      log.push('b starts');
      await second.opened;
      log.push('b ends');
    });
    first.open();
    await a;
    // The line is still b's: c must not overtake it.
    const c = mutex.run('k', async () => {
      log.push('c');
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    second.open();
    await Promise.all([b, c]);
    expect(log).toEqual(['a', 'b starts', 'b ends', 'c']);
  });

  it('lets other keys run side by side, and goes on after a failure', async () => {
    const mutex = new KeyedMutex();
    const held = gate();
    const slow = mutex.run('k', () => held.opened);
    expect(await mutex.run('other', async () => 'free')).toBe('free');
    held.open();
    await slow;
    await expect(mutex.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await mutex.run('k', async () => 'after')).toBe('after');
  });
});
