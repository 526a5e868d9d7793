import { randomUUID } from 'node:crypto';
import { commandsByName, type KnownCommand } from '@camledger/domain';
import type { NatsConnection } from 'nats';
import type { z } from 'zod';
import { askWithRetries } from './ask.ts';
import { CommandTimeoutError, type Outcome, replyOf } from './outcome.ts';
import { type QueryMethods, queryMethods } from './query.ts';
import { outgoingHeaders } from './trace-context.ts';

export interface SendOptions {
  /** The user on whose behalf the command runs; internal commands default to "system". */
  readonly actor?: string;
  /** Supply one to make a retry of your own idempotent; generated otherwise. */
  readonly commandId?: string;
  readonly correlationId?: string;
  /**
   * W3C trace context to send with the command. Without it the client takes
   * the active OpenTelemetry context (when an SDK is configured; otherwise
   * no header is sent).
   */
  readonly traceparent?: string;
}

export interface ClientOptions {
  readonly prefix?: string;
  /** Per attempt. */
  readonly timeoutMs?: number;
  /** Extra attempts after a timeout, each with the same command id (safe: the worker answers a repeat with the first reply). */
  readonly retries?: number;
}

/** The commands a client may send: a follow-up-only one is never served (16 on every channel). */
type Sendable = Exclude<KnownCommand, { readonly followUpOnly?: true }>;
type Name = Sendable['name'];
type CommandOf<N extends Name> = Extract<Sendable, { name: N }>;
type InputOf<N extends Name> = z.input<CommandOf<N>['payload']>;
/** An internal command runs as "system" unless told otherwise; any other needs the user it runs for. */
type OptionsOf<N extends Name> = CommandOf<N>['internal'] extends true
  ? [options?: SendOptions]
  : [options: SendOptions & { readonly actor: string }];
type ObjectOf<N> = N extends `${infer O}.${string}` ? O : never;
type ActionOf<N, O extends string> = N extends `${O}.${infer A}` ? A : never;

/** `client.folder.create({ name, parent_id }, { actor })`: one method per command, typed from its zod schema. */
export type CommandMethods = {
  readonly [O in ObjectOf<Name>]: {
    readonly [A in ActionOf<Name, O>]: (
      payload: InputOf<`${O}.${A}` & Name>,
      ...options: OptionsOf<`${O}.${A}` & Name>
    ) => Promise<Outcome>;
  };
};

export type CamledgerClient = CommandMethods & {
  /** Any command by name, also one this client does not know (the worker then answers 16). */
  send(name: string, payload: unknown, options?: SendOptions): Promise<Outcome>;
  /** The queries of §4: `client.query.item.get_list({ folder_id: 0, min_position }, { actor })`. */
  readonly query: QueryMethods;
};

export function createClient(nc: NatsConnection, options: ClientOptions = {}): CamledgerClient {
  const prefix = options.prefix ?? 'camledger';
  const timeout = options.timeoutMs ?? 5_000;
  const retries = options.retries ?? 2;

  async function send(name: string, payload: unknown, sendOptions: SendOptions = {}): Promise<Outcome> {
    const internal = commandsByName.get(name)?.internal ?? false;
    const commandId = sendOptions.commandId ?? randomUUID();
    const body = JSON.stringify({
      command_id: commandId,
      actor: sendOptions.actor ?? (internal ? 'system' : ''),
      payload,
      ...(sendOptions.correlationId ? { correlation_id: sendOptions.correlationId } : {}),
    });
    const subject = `${prefix}.${internal ? 'internal' : 'cmd'}.${name}`;
    const headers = outgoingHeaders(sendOptions.traceparent);
    const answer = await askWithRetries(nc, subject, body, {
      timeout,
      headers,
      attempts: retries + 1,
      commandId,
    });
    if ('raw' in answer) return replyOf<Outcome>(answer.raw, subject, commandId);
    throw new CommandTimeoutError(name, commandId, retries + 1, answer.none);
  }

  const methods: Record<string, Record<string, unknown>> = {};
  for (const { name, followUpOnly } of commandsByName.values()) {
    if (followUpOnly) continue;
    const [object = '', action = ''] = name.split('.');
    methods[object] ??= {};
    methods[object][action] = (payload: unknown, o?: SendOptions) => send(name, payload, o);
  }
  const query = queryMethods(nc, { prefix, timeoutMs: timeout, retries });
  return Object.assign(methods, { send, query }) as unknown as CamledgerClient;
}
