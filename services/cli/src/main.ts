#!/usr/bin/env node
import { createRequire } from 'node:module';
import { createClient } from '@camledger/client';
import { ConfigError, listParkedFollowUps, readConfig, type WorkerConfig } from '@camledger/command-worker';
import { Command, CommanderError } from 'commander';
import { runAsOf } from './as-of.ts';
import { commandEntries, queryEntries } from './catalogue.ts';
import { openNats, shownServers } from './connection.ts';
import { type HistoryOptions, runHistory } from './history.ts';
import { type ExitCode, exitCodes, NoConnection, type Output, processOutput, UsageError } from './output.ts';
import { payloadText } from './payload.ts';
import { runProjectionsRebuild, runProjectionsStatus } from './projections.ts';
import { runReplay } from './replay.ts';
import { parseSend, runSend } from './send.ts';
import { type OpenStore, openStore } from './store.ts';
import { parkedFollowUpsOf, runVerify } from './verify/index.ts';

// Wires the subcommands to commander. Every subcommand is a function of an
// injected store or client (see index.ts), so tests run them in-process; this
// file only reads the environment, opens connections and sets the exit code.

const output: Output = processOutput();
// `edge` needs @camledger/api-edge, which the CLI package does not depend on
// (the edge ships on its own): it is offered where that is installed, as in
// the repository, and left out of a CLI installed alone.
const edge = await import('./edge.ts').catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('@camledger/api-edge'))
    return undefined;
  throw error;
});
// The same path from src/ (tsx) and from dist/ (the built package).
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

// A reader that stops early (`camledger audit replay | head -1`) closes the
// pipe: that ends the command quietly, not with an EPIPE stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(exitCodes.ok);
  throw error;
});

interface GlobalOptions {
  readonly server?: string;
  readonly prefix?: string;
  readonly timeout?: string;
}

/** The worker's configuration, with --server and --prefix taking the place of NATS_URL and CAMLEDGER_PREFIX. */
function configOf(o: GlobalOptions): WorkerConfig {
  // The worker reads an empty variable as unset; an empty flag given on
  // purpose must not fall back to the built-in default (the production prefix).
  if (o.server === '') throw new UsageError('--server needs a value: a NATS URL, e.g. nats://127.0.0.1:4222');
  if (o.prefix === '') throw new UsageError('--prefix needs a value, e.g. camledger');
  return readConfig({
    ...process.env,
    ...(o.server !== undefined ? { NATS_URL: o.server } : {}),
    ...(o.prefix !== undefined ? { CAMLEDGER_PREFIX: o.prefix } : {}),
  });
}

function timeoutOf(o: GlobalOptions): number {
  if (o.timeout === undefined) return 5_000;
  if (!/^\d{1,9}$/.test(o.timeout) || Number(o.timeout) < 1)
    throw new UsageError(
      `--timeout "${o.timeout}" is not a positive whole number of milliseconds (1..999999999)`,
    );
  return Number(o.timeout);
}

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

function program(done: (code: ExitCode) => void): Command {
  const cli = new Command('camledger')
    .description('Send commands to camledger and audit its history')
    .version(version, '-V, --version')
    .option(
      '--server <url>',
      'NATS server(s), comma-separated (default: NATS_URL, else nats://127.0.0.1:4222)',
    )
    .option('--prefix <prefix>', 'the deployment prefix (default: CAMLEDGER_PREFIX, else camledger)')
    .option(
      '--timeout <ms>',
      'send: how long to wait for each attempt; projections: for each status reply',
      '5000',
    )
    .exitOverride()
    .showHelpAfterError();
  const globals = () => cli.opts<GlobalOptions>();
  const config = () => configOf(globals());

  cli
    .command('commands')
    .description('list every command (and query) with its channel and the JSON Schema of its payload')
    .option('--json', 'print the list as JSON')
    .action(async (o: { json?: boolean }) => {
      const entries = [...commandEntries(), ...(await queryEntries())];
      if (o.json) output.out(JSON.stringify(entries, null, 2));
      else
        for (const e of entries) {
          const schema = e.payload as { properties?: object; required?: string[] };
          const fields = Object.keys(schema.properties ?? {}).map((f) =>
            schema.required?.includes(f) ? f : `${f}?`,
          );
          output.out(`${e.name.padEnd(32)} ${e.channel.padEnd(8)} {${fields.join(', ')}}`);
        }
      done(exitCodes.ok);
    });

  cli
    .command('send')
    .description('send a command over NATS and print the reply (exit 0 accepted, 1 rejected, 2 no reply)')
    .argument('<command>', '<object>.<action>, e.g. folder.create (camledger commands lists them)')
    .argument('<payload>', "the payload as JSON, '-' to read it from stdin, or @file")
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
        const timeoutMs = timeoutOf(globals());
        const options = { name, payload: await payloadText(payload), ...o };
        // A mistyped name or payload is told before anything is sent, NATS up or not.
        parseSend(options);
        const nc = await openNats(c);
        try {
          const client = createClient(nc, { prefix: c.prefix, timeoutMs });
          done(
            await runSend(client, options, output, {
              prefix: c.prefix,
              servers: shownServers(c),
              timeoutMs,
            }),
          );
        } finally {
          await nc.close();
        }
      },
    );

  const audit = cli.command('audit').description('read the history in CAMLEDGER_STORE (read-only)');
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
        await withStore(c, async ({ store, nc }) => {
          // Follow-ups the workers parked are reported as warnings with their reasons (read-only listing).
          const parked = parkedFollowUpsOf((await listParkedFollowUps(c, nc)) ?? []);
          return runVerify(store, { ...o, trashRetentionMs: c.trashRetentionMs, parked }, output);
        }),
      );
    });
  audit
    .command('as-of')
    .description('print the state of one aggregate as it was at an instant (exit 1: no such stream)')
    .argument('<stream>', 'e.g. item-itm_01JD3XQ4S5M7N8P9R0T1V2W3X4')
    .argument('<time>', '"yyyy-mm-dd hh:mm:ss" (UTC) or ISO 8601, e.g. 2026-01-01T12:00:00Z')
    .action(async (stream: string, at: string) => {
      done(await withStore(config(), ({ store }) => runAsOf(store, { stream, at }, output)));
    });
  audit
    .command('history')
    .description('who did what, when, through which command (and the follow-ups it caused)')
    .option('--actor <id>')
    .option('--stream <name>')
    .option('--command-id <id>', 'that command and every follow-up it caused')
    .option('--correlation-id <id>')
    .option('--since <time>', '"yyyy-mm-dd hh:mm:ss" (UTC) or ISO 8601, inclusive')
    .option('--until <time>', '"yyyy-mm-dd hh:mm:ss" (UTC) or ISO 8601, inclusive')
    .option('--json', 'one JSON object per line')
    .action(async (o: HistoryOptions) => {
      done(await withStore(config(), ({ store }) => runHistory(store, o, output)));
    });
  const projections = cli
    .command('projections')
    .description('the read side: ask the running projector over NATS (works with PGlite too)');
  /** Runs `work` on a NATS connection of its own, with where it points for the error messages. */
  const withProjector = async (
    work: (
      nc: Awaited<ReturnType<typeof openNats>>,
      target: { prefix: string; servers: string; timeoutMs: number },
    ) => Promise<ExitCode>,
  ) => {
    const c = config();
    const nc = await openNats(c);
    try {
      return await work(nc, { prefix: c.prefix, servers: shownServers(c), timeoutMs: timeoutOf(globals()) });
    } finally {
      await nc.close();
    }
  };
  projections
    .command('status')
    .description('applied position, head of the log, lag in appends and in seconds')
    .option('--json', 'print the status as JSON')
    .action(async (o: { json?: boolean }) => {
      done(await withProjector((nc, target) => runProjectionsStatus(nc, target, o, output)));
    });
  projections
    .command('rebuild')
    .description('rebuild every projection from position 0 into a shadow copy, then swap it in')
    .action(async () => {
      done(await withProjector((nc, target) => runProjectionsRebuild(nc, target, {}, output)));
    });
  edge?.registerEdgeCommands(
    cli,
    () => ({ config: config(), timeoutMs: timeoutOf(globals()) }),
    output,
    done,
  );
  return cli;
}

async function main(argv: readonly string[]): Promise<ExitCode> {
  let code: ExitCode = exitCodes.ok;
  const cli = program((c) => {
    code = c;
  });
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
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof NoConnection) {
      output.err(`camledger: ${error.message}`);
      return exitCodes.usage;
    }
    // Most often the store cannot be reached.
    output.err(`camledger: ${error instanceof Error ? error.message : String(error)}`);
    return exitCodes.usage;
  }
}

/** Settles once what was written to `stream` before has left the process (or the reader is gone). */
const drained = (stream: NodeJS.WriteStream): Promise<void> =>
  new Promise((resolve) => {
    if (stream.destroyed || stream.writableLength === 0) resolve();
    else {
      stream.once('drain', () => resolve());
      stream.once('error', () => resolve());
      stream.once('close', () => resolve());
    }
  });

process.exitCode = await main(process.argv);
// Open handles (a NATS reconnect timer, the progress bar) must not keep a
// finished command alive. But a pipe takes 64 KiB at a time: exiting with
// the rest still queued would cut a --json answer short, with exit 0.
await Promise.all([drained(process.stdout), drained(process.stderr)]);
setImmediate(() => process.exit());
