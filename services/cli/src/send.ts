import { type CamledgerClient, CommandTimeoutError, type Outcome } from '@camledger/client';
import { commandsByName } from '@camledger/domain';
import { assertSendable } from './catalogue.ts';
import { type ExitCode, exitCodes, NoConnection, type Output, UsageError } from './output.ts';

export interface SendCommandOptions {
  readonly name: string;
  /** The payload's JSON text (main.ts has read it from the argument, stdin or a file). */
  readonly payload: string;
  readonly actor?: string;
  readonly commandId?: string;
  readonly correlationId?: string;
}

/** Where the command went, for the messages that say nobody answered. */
export interface SendTarget {
  readonly prefix: string;
  readonly servers: string;
  readonly timeoutMs: number;
}

const commandName = /^[a-z_]+\.[a-z_]+$/;

/** Parses what the user typed; a usage error names what is wrong. */
export function parseSend(options: SendCommandOptions): { name: string; payload: unknown } {
  if (!commandName.test(options.name))
    throw new UsageError(`"${options.name}" is not <object>.<action>, e.g. folder.create`);
  assertSendable(options.name);
  try {
    return { name: options.name, payload: JSON.parse(options.payload) as unknown };
  } catch {
    const shown = options.payload.length > 200 ? `${options.payload.slice(0, 200)}…` : options.payload;
    throw new UsageError(`the payload is not JSON: ${shown}`);
  }
}

const subjectOf = (prefix: string, name: string) =>
  `${prefix}.${commandsByName.get(name)?.internal ? 'internal' : 'cmd'}.${name}`;

/** `camledger send <object>.<action> <payload>`: prints the reply; exit 0 accepted, 1 rejected, 2 no reply. */
export async function runSend(
  client: CamledgerClient,
  options: SendCommandOptions,
  output: Output,
  target?: SendTarget,
): Promise<ExitCode> {
  const { name, payload } = parseSend(options);
  const outcome = await sendExplained(client, name, payload, options, target);
  output.out(JSON.stringify(outcome, null, 2));
  return outcome.ok ? exitCodes.ok : exitCodes.failed;
}

/**
 * Sends one command; when nothing answers, throws NoConnection saying where
 * it went and how to retry (for every subcommand that sends: `send`, `edge`).
 */
export async function sendExplained(
  client: CamledgerClient,
  name: string,
  payload: unknown,
  options: Pick<SendCommandOptions, 'actor' | 'commandId' | 'correlationId'>,
  target?: SendTarget,
): Promise<Outcome> {
  try {
    return await client.send(name, payload, {
      ...(options.actor !== undefined ? { actor: options.actor } : {}),
      ...(options.commandId !== undefined ? { commandId: options.commandId } : {}),
      ...(options.correlationId !== undefined ? { correlationId: options.correlationId } : {}),
    });
  } catch (error) {
    if (!(error instanceof CommandTimeoutError)) throw error;
    if (!target) throw new NoConnection(error.message);
    const subject = subjectOf(target.prefix, name);
    const retry = `retry with --command-id ${error.commandId}`;
    throw new NoConnection(
      error.reason === 'no_responders'
        ? `no worker answers on ${subject} (NATS ${target.servers}) — is a worker running with CAMLEDGER_PREFIX=${target.prefix}?`
        : error.reason === 'connection_closed'
          ? `the connection to NATS ${target.servers} closed before ${subject} was answered (command_id ${error.commandId}); ${retry}`
          : `no reply on ${subject} (NATS ${target.servers}) within ${target.timeoutMs} ms, ${error.attempts} attempt(s) with command_id ${error.commandId}; ${retry}`,
    );
  }
}
