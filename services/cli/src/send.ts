import { type CamledgerClient, CommandTimeoutError } from '@camledger/client';
import { type ExitCode, exitCodes, type Output, UsageError } from './output.ts';

export interface SendCommandOptions {
  readonly name: string;
  readonly payload: string;
  readonly actor?: string;
  readonly commandId?: string;
  readonly correlationId?: string;
}

const commandName = /^[a-z_]+\.[a-z_]+$/;

/** Parses what the user typed; a usage error names what is wrong. */
export function parseSend(options: SendCommandOptions): { name: string; payload: unknown } {
  if (!commandName.test(options.name))
    throw new UsageError(`"${options.name}" is not <object>.<action>, e.g. folder.create`);
  try {
    return { name: options.name, payload: JSON.parse(options.payload) as unknown };
  } catch {
    throw new UsageError(`the payload is not JSON: ${options.payload}`);
  }
}

/** `camledger send <object>.<action> '<json>'`: prints the reply; exit 0 accepted, 1 rejected, 2 no reply. */
export async function runSend(
  client: CamledgerClient,
  options: SendCommandOptions,
  output: Output,
): Promise<ExitCode> {
  const { name, payload } = parseSend(options);
  try {
    const outcome = await client.send(name, payload, {
      ...(options.actor !== undefined ? { actor: options.actor } : {}),
      ...(options.commandId !== undefined ? { commandId: options.commandId } : {}),
      ...(options.correlationId !== undefined ? { correlationId: options.correlationId } : {}),
    });
    output.out(JSON.stringify(outcome, null, 2));
    return outcome.ok ? exitCodes.ok : exitCodes.failed;
  } catch (error) {
    if (error instanceof CommandTimeoutError) {
      output.err(error.message);
      return exitCodes.usage;
    }
    throw error;
  }
}
