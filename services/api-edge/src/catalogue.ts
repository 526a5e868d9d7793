import { commands } from '@camledger/domain';
import { z } from 'zod';

// What the edge serves: every command a client may send (never an internal
// one, never a follow-up) and every query. Anything else is 16.

export interface Operation {
  readonly name: string;
  readonly kind: 'command' | 'query';
  readonly payload: z.ZodType;
}

/** The queries of DOMAIN.md §4, as the query servers serve them on `<prefix>.query.<name>`. */
export const queryNames = [
  'account.get',
  'camera.get',
  'camera.get_list',
  'item.get',
  'item.get_list',
  'item.get_frames',
  'trash.get_list',
  'folder.get',
  'folder.get_list',
  'network.get',
  'network.get_list',
  'network.get_members',
  'network.get_requests',
  'forum.get_list',
  'forum.get_thread',
  'message.get_list',
  'message.get_thread',
] as const;

/**
 * Until the read side exports its query schemas, a query's parameters are
 * described loosely (the query server still validates them); pass the real
 * ones to `startEdge` to have /openapi.json describe them.
 */
const looseQueryPayload = z.record(z.string(), z.unknown());

export function buildCatalogue(
  queries: readonly { readonly name: string; readonly payload: z.ZodType }[] = queryNames.map((name) => ({
    name,
    payload: looseQueryPayload,
  })),
): ReadonlyMap<string, Operation> {
  const served = commands
    .filter((c) => !c.internal && !c.followUpOnly)
    .map((c): Operation => ({ name: c.name, kind: 'command', payload: c.payload }));
  return new Map(
    [...served, ...queries.map((q): Operation => ({ name: q.name, kind: 'query', payload: q.payload }))].map(
      (op) => [op.name, op],
    ),
  );
}
