import { type AnyCommandHandler, commandsByName } from '@camledger/domain';

export type Channel = 'cmd' | 'internal';

export interface Route {
  readonly channel: Channel;
  readonly name: string;
  readonly handler: AnyCommandHandler;
}

/**
 * `<prefix>.<cmd|internal>.<object>.<action>` to its handler. An internal
 * action asked on `cmd` is unknown there (16), and so is a user action asked
 * on `internal`: each channel serves exactly its own commands.
 */
export function route(subject: string, prefix: string): Route | undefined {
  if (!subject.startsWith(`${prefix}.`)) return undefined;
  const [channel, object, action, ...rest] = subject.slice(prefix.length + 1).split('.');
  if ((channel !== 'cmd' && channel !== 'internal') || !object || !action || rest.length > 0)
    return undefined;
  const name = `${object}.${action}`;
  const handler = commandsByName.get(name);
  if (!handler || handler.internal !== (channel === 'internal')) return undefined;
  return { channel, name, handler };
}
