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
 * on `internal`: each channel serves exactly its own commands. Follow-up
 * commands are served on no channel at all (DOMAIN.md §1): only a reactor
 * runs them, through `runFollowUps`.
 */
export function route(subject: string, prefix: string): Route | undefined {
  if (!subject.startsWith(`${prefix}.`)) return undefined;
  const [channel, object, action, ...rest] = subject.slice(prefix.length + 1).split('.');
  if ((channel !== 'cmd' && channel !== 'internal') || !object || !action || rest.length > 0)
    return undefined;
  return routeOf(channel, `${object}.${action}`);
}

/** The route of a command by its name on one channel, as a client would reach it; undefined where it is 16. */
export function routeOf(channel: Channel, name: string): Route | undefined {
  const handler = commandsByName.get(name);
  if (!handler || handler.followUpOnly || handler.internal !== (channel === 'internal')) return undefined;
  return { channel, name, handler };
}
