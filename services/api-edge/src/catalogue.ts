import { commands, queryPayloads } from '@camledger/domain';
import type { z } from 'zod';

// What the edge serves: every command a client may send (never an internal
// one, never a follow-up) and every query of DOMAIN.md §4. Anything else is 16.
// Both payload schemas come from the domain, the ones the worker and the query
// server validate with, so /openapi.json describes what they accept.

export interface Operation {
  readonly name: string;
  readonly kind: 'command' | 'query';
  readonly payload: z.ZodType;
}

export function buildCatalogue(): ReadonlyMap<string, Operation> {
  const served = commands
    .filter((c) => !c.internal && !c.followUpOnly)
    .map((c): Operation => ({ name: c.name, kind: 'command', payload: c.payload }));
  const queries = Object.entries(queryPayloads).map(
    ([name, payload]): Operation => ({ name, kind: 'query', payload }),
  );
  return new Map([...served, ...queries].map((op) => [op.name, op]));
}
