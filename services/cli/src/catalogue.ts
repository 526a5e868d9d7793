import { commands } from '@camledger/domain';
import { z } from 'zod';
import { UsageError } from './output.ts';

// What can be sent, derived from the registries (never a list of our own):
// every command a client may send, and the read side's queries when that
// package is present, each with its channel and its payload's JSON Schema.

export type Channel = 'cmd' | 'internal' | 'query';

export interface CatalogueEntry {
  readonly name: string;
  readonly channel: Channel;
  /** JSON Schema (2020-12) of the payload a client sends, from its zod schema. */
  readonly payload: unknown;
}

const schemaOf = (payload: z.ZodType): unknown =>
  // The client's side of a schema (`io: input`): what it sends, before the
  // domain's transforms. A check zod cannot express in JSON Schema is left open.
  z.toJSONSchema(payload, { io: 'input', unrepresentable: 'any' });

/**
 * The commands a client may send. Follow-up-only commands are served on no
 * subject (a worker answers 16), so they are not offered.
 */
export const sendableCommands = () => commands.filter((c) => !c.followUpOnly);

export function commandEntries(): CatalogueEntry[] {
  return sendableCommands().map((c) => ({
    name: c.name,
    channel: c.internal ? 'internal' : 'cmd',
    payload: schemaOf(c.payload),
  }));
}

/**
 * The read side's queries. `@camledger/read-model` is not a dependency of the
 * CLI (the read side ships on its own), so it is looked up where it is
 * installed beside the CLI, as in the repository; without it the list has no
 * queries.
 */
export async function queryEntries(): Promise<CatalogueEntry[]> {
  const readModel = await import('@camledger/read-model').catch(() => undefined);
  if (!readModel) return [];
  return [...readModel.queries.values()].map((q) => ({
    name: q.name,
    channel: 'query',
    payload: schemaOf(q.payload),
  }));
}

/** Edit distance, for "did you mean": the fewest insertions, deletions and substitutions. */
export function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** The known name closest to `name`. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const candidate of known) {
    const d = distance(name, candidate);
    if (!best || d < best.d) best = { name: candidate, d };
  }
  return best?.name;
}

/**
 * Refuses, before anything is sent, a name no worker serves: a usage error
 * (exit 2) with the closest sendable name, instead of the worker's 16.
 */
export function assertSendable(name: string): void {
  const known: string[] = sendableCommands().map((c) => c.name);
  if (known.includes(name)) return;
  const followUpOnly = commands.some((c) => c.name === name && c.followUpOnly);
  const why = followUpOnly ? 'is run only by workers, as a follow-up' : 'is not a command';
  throw new UsageError(
    `"${name}" ${why}; did you mean ${closest(name, known)}? (camledger commands lists them)`,
  );
}
