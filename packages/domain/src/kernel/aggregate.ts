import type { DomainEvent } from './events.ts';

// An aggregate is its stream category, its state before any event, and how
// one event changes the state. State is never stored, only folded.
export interface Aggregate<S, E extends DomainEvent = DomainEvent> {
  readonly category: string;
  readonly initial: S;
  readonly evolve: (state: S, event: E) => S;
  /**
   * Folds many events at once, with the same result as reducing with
   * `evolve`. Aggregates whose state is a large collection (a folder tree)
   * provide it so a cold load copies the collection once, not once per event.
   */
  readonly evolveAll?: (state: S, events: readonly E[]) => S;
}

export const streamName = (category: string, id: string): string => `${category}-${id}`;

/** The category a stream name begins with (`streamName`'s first part; the whole name if it has no dash). */
export const categoryOf = (stream: string): string => {
  const dash = stream.indexOf('-');
  return dash < 0 ? stream : stream.slice(0, dash);
};

/** A state as read from the store: `revision` is -1 when the stream does not exist yet. */
export interface Loaded<S> {
  readonly stream: string;
  readonly state: S;
  readonly revision: number;
}

// The one read port a command handler gets: the worker implements it over
// the event store (with a cache), specifications over a map of given events.
export interface StateReader {
  read<S, E extends DomainEvent>(aggregate: Aggregate<S, E>, id: string): Promise<Loaded<S>>;
}

export function fold<S, E extends DomainEvent>(
  aggregate: Aggregate<S, E>,
  events: readonly E[],
  from: S = aggregate.initial,
): S {
  if (aggregate.evolveAll) return aggregate.evolveAll(from, events);
  let state = from;
  for (const event of events) state = aggregate.evolve(state, event);
  return state;
}

/** One handler per event type of `E`: the type checker refuses a missing or unknown one. */
export type EventHandlers<S, E extends DomainEvent> = {
  readonly [T in E['type']]: (state: S, event: Extract<E, { type: T }>) => S;
};

/** An `evolve` that also says which event types it folds (see `evolveByType`). */
export type TypedEvolve<S, E extends DomainEvent> = ((state: S, event: E) => S) & {
  readonly eventTypes: ReadonlySet<string>;
};

/**
 * An `evolve` that picks the event's handler by its type in one lookup.
 * Exhaustive like a ts-pattern `match`, which the deciders keep; folds use
 * this instead because they run once per event of every replay, and a
 * `match` over a dozen object patterns measured at about 3 µs an event,
 * most of `camledger audit replay`'s own time. It carries the types it
 * folds, which is how the registry knows which stream categories can hold
 * an event a reactor answers.
 */
export function evolveByType<S, E extends DomainEvent>(handlers: EventHandlers<S, E>): TypedEvolve<S, E> {
  const byType = new Map<string, (state: S, event: E) => S>(
    Object.entries(handlers) as [string, (state: S, event: E) => S][],
  );
  const evolve = (state: S, event: E): S => {
    const handler = byType.get(event.type);
    // Unreachable for a typed event; a stored event of a type this slice never wrote is a broken history.
    if (!handler) throw new Error(`no handler for event type ${event.type}`);
    return handler(state, event);
  };
  return Object.assign(evolve, { eventTypes: new Set(byType.keys()) as ReadonlySet<string> });
}

/** The event types an aggregate's streams can hold, when its `evolve` says (one made by `evolveByType` does). */
export const eventTypesOf = (aggregate: Aggregate<unknown, never>): ReadonlySet<string> | undefined =>
  (aggregate.evolve as Partial<TypedEvolve<unknown, never>>).eventTypes;
