import type { ConnectionOptions } from 'nats';

/**
 * NATS_URL may carry credentials (`nats://worker:secret@nats-1:4222`), the
 * usual way to hand them to a container. nats.js ignores credentials inside
 * server URLs, so they are lifted out into `user`/`pass` and the URLs are
 * passed on without them. All servers of one list share one user.
 */
export function natsConnectionOptions(
  servers: readonly string[],
): Pick<ConnectionOptions, 'servers' | 'user' | 'pass'> {
  let user: string | undefined;
  let pass: string | undefined;
  const bare = servers.map((server) => {
    const match = /^([a-z]+:\/\/)([^@/]*)@(.*)$/.exec(server);
    if (!match) return server;
    const [, scheme, credentials = '', rest] = match;
    const colon = credentials.indexOf(':');
    user = decodeURIComponent(colon < 0 ? credentials : credentials.slice(0, colon));
    if (colon >= 0) pass = decodeURIComponent(credentials.slice(colon + 1));
    return `${scheme}${rest}`;
  });
  return { servers: bare, ...(user !== undefined ? { user } : {}), ...(pass !== undefined ? { pass } : {}) };
}
