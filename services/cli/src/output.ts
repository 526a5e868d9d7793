// Where a command prints. main.ts wires it to the process; tests capture it.
export interface Output {
  /** The result: a report, a state, JSON. */
  out(line: string): void;
  /** Progress and diagnostics, kept off stdout so `--json` output stays parseable. */
  err(line: string): void;
  /** The terminal stderr goes to, when there is one: progress bars draw there. */
  readonly tty?: NodeJS.WriteStream;
}

export const processOutput = (): Output => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  ...(process.stderr.isTTY ? { tty: process.stderr } : {}),
});

/** Exit codes of every subcommand. */
export const exitCodes = {
  ok: 0,
  /** A command was rejected, or an audit found something wrong. */
  failed: 1,
  /** Usage or connection error: nothing was checked or sent. */
  usage: 2,
} as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** A usage error with the message to print; main.ts turns it into exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** NATS or the store cannot be reached, or no worker answers; exit code 2 too. */
export class NoConnection extends Error {
  override readonly name = 'NoConnection';
}
