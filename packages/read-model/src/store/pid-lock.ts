import { readFile, unlink, writeFile } from 'node:fs/promises';
import { ReadStoreBusy } from './port.ts';

// PGlite does not lock its directory, and two processes on one directory
// corrupt it. A file holding the owner's pid stands in for the lock: it is
// created exclusively, and taken over only from a process that no longer
// runs (a crash leaves the file behind).

export interface PidLock {
  release(): Promise<void>;
}

function isRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The lock files this process holds. A file naming this process's pid that
 * is not among them was left by an earlier process that had the same pid: a
 * container restarted after a crash runs its program under the same pid
 * again (often 1), and must not find its own directory "in use".
 */
const heldHere = new Set<string>();

export async function takePidLock(file: string, directory: string): Promise<PidLock> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      heldHere.add(file);
      return {
        release: async () => {
          heldHere.delete(file);
          await unlink(file).catch(() => {});
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    const mine = holder === process.pid;
    if ((mine && heldHere.has(file)) || (!mine && isRunning(holder)))
      throw new ReadStoreBusy(directory, holder);
    // The holder is gone: remove its file and try to create ours again.
    await unlink(file).catch(() => {});
  }
  throw new ReadStoreBusy(directory, Number.NaN);
}
