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

export async function takePidLock(file: string, directory: string): Promise<PidLock> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return { release: () => unlink(file).catch(() => {}) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    if (holder === process.pid || isRunning(holder)) throw new ReadStoreBusy(directory, holder);
    // The holder is gone: remove its file and try to create ours again.
    await unlink(file).catch(() => {});
  }
  throw new ReadStoreBusy(directory, Number.NaN);
}
