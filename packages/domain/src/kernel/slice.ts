import type { Aggregate } from './aggregate.ts';
import type { AnyCommandHandler, Reactor } from './command.ts';

/**
 * Everything one part of the domain adds to camledger: its aggregates, its
 * commands, the follow-ups its events ask for, and the schema version of
 * each event type it emits (1 unless listed). The registry joins the slices,
 * so a new slice reaches the worker, the client and the auditor by being
 * listed once in ../registry.ts.
 */
export interface Slice {
  // biome-ignore lint/suspicious/noExplicitAny: aggregates of every state type
  readonly aggregates: readonly Aggregate<any, any>[];
  readonly commands: readonly AnyCommandHandler[];
  readonly reactors?: Readonly<Record<string, Reactor>>;
  readonly eventVersions?: Readonly<Record<string, number>>;
}

/** Declares a slice and keeps the literal types of its commands, so the typed client can see every name and payload. */
export function defineSlice<const C extends readonly AnyCommandHandler[]>(
  slice: Omit<Slice, 'commands'> & { readonly commands: C },
): Omit<Slice, 'commands'> & { readonly commands: C } {
  return slice;
}
