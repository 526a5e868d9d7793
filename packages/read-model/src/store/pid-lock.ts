import { randomBytes } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { ReadStoreBusy } from './port.ts';

// PGlite does not lock its directory, and two processes on one directory
// corrupt it. A file holding the owner's pid stands in for the lock: it is
// created exclusively, and taken over only from a process that no longer
// runs (a crash leaves the file behind).
//
// Several openers may start at once, so:
// - the file is never seen half written: the owner's mark (its pid and a
//   token of this opening) is written to a file of its own, which is then
//   hard-linked into place (link fails if the name exists);
// - a takeover runs under a guard file, `<file>.takeover`, made the same
//   way, and removes the file only if it still holds the dead owner's very
//   mark: no opener can remove another's fresh file, having read the dead
//   owner's pid before. A guard left by an opener that died within those
//   few milliseconds is removed as stale in turn.

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
 * The marks this process holds now. A file naming this process's pid with
 * a mark not among them was left by an earlier process that had the same
 * pid: a container restarted after a crash runs its program under the same
 * pid again (often 1), and must not find its own directory "in use".
 */
const heldHere = new Set<string>();

/** What `file` holds (`<pid>:<token>`; an older version wrote the pid alone), or undefined when there is no file. */
async function markIn(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const pidOf = (mark: string): number => Number.parseInt(mark, 10);

/** Whether `mark` is that of an opener that still holds it: another running process, or an opening of this one. */
const isLive = (mark: string): boolean =>
  pidOf(mark) === process.pid ? heldHere.has(mark) : isRunning(pidOf(mark));

/** Creates `target` holding `mark` whole (linked from `marked`), or answers false if it exists. */
async function createMarked(target: string, marked: string): Promise<boolean> {
  try {
    await link(marked, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function takePidLock(file: string, directory: string): Promise<PidLock> {
  const mark = `${process.pid}:${randomBytes(6).toString('hex')}`;
  const marked = `${file}.${mark.replace(':', '.')}`;
  await writeFile(marked, mark);
  try {
    // Bounded: each turn takes the file, finds a live owner, or waits for
    // another opener's takeover (a few milliseconds) to end.
    for (let turn = 0; turn < 100; turn++) {
      heldHere.add(mark);
      if (await createMarked(file, marked))
        return {
          release: async () => {
            await unlink(file).catch(() => {});
            heldHere.delete(mark);
          },
        };
      heldHere.delete(mark);
      const owner = await markIn(file);
      if (owner !== undefined && isLive(owner)) throw new ReadStoreBusy(directory, pidOf(owner));
      if (owner !== undefined) await takeOverFrom(file, owner, mark, marked);
    }
    throw new ReadStoreBusy(directory, pidOf((await markIn(file)) ?? ''));
  } finally {
    await unlink(marked).catch(() => {});
  }
}

/** Removes `file` if it still holds `dead`, the mark of an owner that no longer runs: under the takeover guard. */
async function takeOverFrom(file: string, dead: string, mark: string, marked: string): Promise<void> {
  const guard = `${file}.takeover`;
  heldHere.add(mark);
  if (!(await createMarked(guard, marked))) {
    heldHere.delete(mark);
    const guardian = await markIn(guard);
    // Just released: the next turn tries again. Held: wait for it.
    if (guardian === undefined) return;
    if (isLive(guardian)) await pause(10);
    else if ((await markIn(guard)) === guardian) await unlink(guard).catch(() => {});
    return;
  }
  try {
    // Only a takeover, under this guard, removes the file: it cannot have
    // been replaced between this read and the unlink.
    if ((await markIn(file)) === dead) await unlink(file).catch(() => {});
  } finally {
    await unlink(guard).catch(() => {});
    heldHere.delete(mark);
  }
}
