import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Runs the CLI as a user does: its own process, configured by environment,
// through node itself (npx adds start-up time and npm's warnings on stderr).

export const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function camledger(
  args: readonly string[],
  options: { readonly env?: Record<string, string | undefined>; readonly stdin?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/cli/src/main.ts', ...args], {
      cwd: repositoryRoot,
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
