import { createClient } from '@camledger/client';
import { ConfigError, readConfig, type WorkerConfig } from '@camledger/command-worker';
import { Command, CommanderError } from 'commander';
import { runAsOf } from './as-of.ts';
import { runHistory } from './history.ts';
import { type ExitCode, exitCodes, type Output, processOutput, UsageError } from './output.ts';
import { runReplay } from './replay.ts';
import { runSend } from './send.ts';
import { connectNats, type OpenStore, openStore } from './store.ts';
import { runVerify } from './verify/index.ts';

// Wires the subcommands to commander. Every subcommand is a function of an
// injected store or client (see index.ts), so tests run them in-process; this
// file only reads the environment, opens connections and sets the exit code.

const output: Output = processOutput();

async function withStore(
  config: WorkerConfig,
  run: (opened: OpenStore) => Promise<ExitCode>,
): Promise<ExitCode> {
  const opened = await openStore(config);
  try {
    return await run(opened);
  } finally {
    await opened.close();
  }
}

function program(config: () => WorkerConfig, done: (code: ExitCode) => void): Command {
  const cli = new Command('camledger')
    .description('Send commands to camledger and audit its history')
    .exitOverride()
    .showHelpAfterError();

  cli
    .command('send')
    .description('send a command over NATS and print the reply (exit 0 accepted, 1 rejected, 2 no reply)')
    .argument('<command>', '<object>.<action>, e.g. folder.create')
    .argument('<payload>', 'the payload as JSON')
    .option('--actor <id>', 'the user on whose behalf it runs (internal commands: system)')
    .option('--command-id <id>', 'reuse to retry the same intent')
    .option('--correlation-id <id>')
    .action(
      async (
        name: string,
        payload: string,
        o: { actor?: string; commandId?: string; correlationId?: string },
      ) => {
        const c = config();
        const nc = await connectNats(c);
        try {
          done(await runSend(createClient(nc, { prefix: c.prefix }), { name, payload, ...o }, output));
        } finally {
          await nc.drain();
        }
      },
    );

  const audit = cli.command('audit').description('read the history in CAMLEDGER_STORE');
  audit
    .command('replay')
    .description('fold every stream through the domain; report counts, events/s and unfoldable events')
    .option('--json', 'print the report as JSON')
    .action(async (o: { json?: boolean }) => {
      done(await withStore(config(), ({ store }) => runReplay(store, o, output)));
    });
  audit
    .command('verify')
    .description('check every invariant on the history; exit 1 naming each violating event')
    .option('--json', 'print the report as JSON')
    .action(async (o: { json?: boolean }) => {
      const c = config();
      done(
        await withStore(c, ({ store }) =>
          runVerify(store, { ...o, trashRetentionMs: c.trashRetentionMs }, output),
        ),
      );
    });
  audit
    .command('as-of')
    .description('print the state of one aggregate as it was at an instant')
    .argument('<stream>', 'e.g. item-itm_01JD3XQ4S5M7N8P9R0T1V2W3X4')
    .argument('<time>', 'ISO 8601, e.g. 2026-01-01T12:00:00Z')
    .action(async (stream: string, at: string) => {
      done(await withStore(config(), ({ store }) => runAsOf(store, { stream, at }, output)));
    });
  audit
    .command('history')
    .description('who did what, when, through which command')
    .option('--actor <id>')
    .option('--stream <name>')
    .option('--command-id <id>')
    .option('--json', 'one JSON object per line')
    .action(async (o: { actor?: string; stream?: string; commandId?: string; json?: boolean }) => {
      done(await withStore(config(), ({ store }) => runHistory(store, o, output)));
    });
  return cli;
}

async function main(argv: readonly string[]): Promise<ExitCode> {
  let code: ExitCode = exitCodes.ok;
  const cli = program(
    () => readConfig(process.env),
    (c) => {
      code = c;
    },
  );
  try {
    await cli.parseAsync(argv as string[]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError)
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
        ? exitCodes.ok
        : exitCodes.usage;
    if (error instanceof UsageError || error instanceof ConfigError) {
      output.err(`camledger: ${error.message}`);
      return exitCodes.usage;
    }
    // Most often the NATS server or the store cannot be reached.
    output.err(`camledger: ${error instanceof Error ? error.message : String(error)}`);
    return exitCodes.usage;
  }
}

process.exitCode = await main(process.argv);
// Open handles (a NATS reconnect timer, the progress bar) must not keep a finished command alive.
setImmediate(() => process.exit());
