import { readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system, every thread) a process has used so far, from
 * /proc/<pid>/stat, which counts in ticks of 1/100 s; NaN once it is gone.
 */
export const cpuSeconds = (pid: number): number => cpuSecondsIn(`/proc/${pid}/stat`);

/**
 * CPU seconds of a process's main thread alone (for Node, the one thread
 * that runs JavaScript: the event loop), from /proc/<pid>/task/<pid>/stat.
 * Its share of wall time says whether the event loop is what bounds a
 * process, which the process total (with V8's and libuv's helper threads)
 * cannot tell.
 */
export const mainThreadCpuSeconds = (pid: number): number => cpuSecondsIn(`/proc/${pid}/task/${pid}/stat`);

const cpuSecondsIn = (path: string): number => {
  try {
    const stat = readFileSync(path, 'utf8');
    // Fields after the command name, which may hold spaces: state is [0], utime [11], stime [12].
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
};
