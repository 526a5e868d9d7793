import { readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system, every thread) a process has used so far, from
 * /proc/<pid>/stat, which counts in ticks of 1/100 s; NaN once it is gone.
 */
export const cpuSeconds = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: state is [0], utime [11], stime [12].
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
};
