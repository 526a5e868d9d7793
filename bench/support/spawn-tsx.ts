import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { repoRoot } from '../../test/support/worker-process.ts';

/**
 * `node [nodeArgs] --import tsx <entry>` from the repository root, with `env`
 * over a clean base (PATH and HOME only), as the benches start the processes
 * they measure: nothing of this process's environment leaks into them.
 */
export function spawnTsx(
  entry: string,
  options: {
    readonly nodeArgs?: readonly string[];
    readonly env: Record<string, string>;
    readonly stdio: StdioOptions;
  },
): ChildProcess {
  return spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', entry], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: options.stdio,
  });
}
