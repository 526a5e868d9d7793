import type { Sql } from '../store/port.ts';

/** An event as the projections see it: upcast to today's shape, with where and when it happened. */
export interface ProjectedEvent {
  readonly type: string;
  readonly data: unknown;
  readonly stream: string;
  /** The global log position (§2). */
  readonly position: number;
  /** metadata.occurredAt: ISO 8601 UTC. */
  readonly occurredAt: string;
}

/** Writes what one event means into the rows, inside the batch's transaction. */
export type Handler = (tx: Sql, event: ProjectedEvent) => Promise<void>;

/** The handlers of one projection, by event type. */
export type Handlers = Readonly<Record<string, Handler>>;

/** Typed access to an event's data, for handlers that know the type they were registered for. */
export const dataOf = <D>(event: ProjectedEvent): D => event.data as D;
