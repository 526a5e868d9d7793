import { randomBytes } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { ReadStoreBusy } from './port.ts';

// PGlite does not lock its directory, and two processes on one directory
// corrupt it. A file holding the owner's pid stands in for the lock: it is
// created exclusively, and taken over only from a process that no longer
// runs (a crash leaves the file behind).
//
// Two things make that safe when several processes start at once:
// - the file is never seen half written: the pid is written to a file of
//   this process's own, which is then hard-linked into place (link fails if
//   the name exists), so nobody reads an empty file as "a dead owner";
// - a takeover is done by one process at a time, holding `<file>.takeover`
//   (made the same way): without it, one process could remove the file
//   another had just taken over, having read the dead owner's pid before.
//   A takeover guard left by a process that died within those few
//   milliseconds is itself removed as stale.

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

/** The pid in `file`: undefined when there is no file, NaN when it holds no number (a crash of an older version). */
async function holderOf(file: string): Promise<number | undefined> {
  try {
    return Number.parseInt(await readFile(file, 'utf8'), 10);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Whether the pid in `file` is a process other than one of ours that still runs. */
const heldByAnother = (file: string, holder: number | undefined): boolean =>
  holder === undefined ? false : holder === process.pid ? heldHere.has(file) : isRunning(holder);

/** Creates `target` holding this pid, whole, or answers false if it exists. */
async function createHoldingPid(target: string, filled: string): Promise<boolean> {
  try {
    await link(filled, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function takePidLock(file: string, directory: string): Promise<PidLock> {
  const filled = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(filled, String(process.pid));
  try {
    // Bounded: each turn either takes the file, finds a live holder, or
    // waits for another starter's takeover (a few milliseconds) to end.
    for (let turn = 0; turn < 100; turn++) {
      if (await createHoldingPid(file, filled)) {
        heldHere.add(file);
        return {
          release: async () => {
            heldHere.delete(file);
            await unlink(file).catch(() => {});
          },
        };
      }
      const holder = await holderOf(file);
      if (heldByAnother(file, holder)) throw new ReadStoreBusy(directory, holder ?? Number.NaN);
      await takeOverFrom(file, holder, filled);
    }
    throw new ReadStoreBusy(directory, (await holderOf(file)) ?? Number.NaN);
  } finally {
    await unlink(filled).catch(() => {});
  }
}

/**
 * Removes `file`, left by `holder` (no longer running), if it still is
 * that one's: under the takeover guard, so no other starter's fresh file
 * is removed. Another starter taking over meanwhile makes this wait a turn.
 */
async function takeOverFrom(file: string, holder: number | undefined, filled: string): Promise<void> {
  // Gone already: nothing to take over, and a file made from here on is a live starter's.
  if (holder === undefined) return;
  const guard = `${file}.takeover`;
  if (!(await createHoldingPid(guard, filled))) {
    const guardian = await holderOf(guard);
    if (heldByAnother(guard, guardian)) await pause(10);
    else await unlink(guard).catch(() => {});
    return;
  }
  heldHere.add(guard);
  try {
    // Still the dead owner's file (only a takeover, under this guard, removes
    // one, so it cannot have been replaced before the unlink below).
    if (Object.is(await holderOf(file), holder)) await unlink(file).catch(() => {});
  } finally {
    heldHere.delete(guard);
    await unlink(guard).catch(() => {});
  }
}
