import type { EventStore, Position, RecordedEvent } from '@camledger/event-store';

// The port's `Position` is becoming an integer (DOMAIN.md §2) while this is
// written; this file is the one place that bridges the two spellings, and
// the optional port methods (`logId`, `headPosition`) not every adapter has
// yet. Once the port has them, these become one-liners.

export const positionOf = (event: RecordedEvent): number => {
  const position: Position | number = event.position;
  return typeof position === 'number' ? position : Number.parseInt(position, 10);
};

/** Every adapter reads `from` with parseInt or as a number, so an integer is understood by both spellings. */
export const toStorePosition = (position: number): Position => position as unknown as Position;

interface OptionalPortMethods {
  logId?: () => Promise<string> | string;
  headPosition?: () => Promise<number | string | undefined> | number | string | undefined;
}

/** Which log the store is (a recreated prefix or a new memory store is another one). */
export async function logIdOf(store: EventStore): Promise<string> {
  const own = (store as OptionalPortMethods).logId;
  return own ? String(await own.call(store)) : 'unknown-log';
}

/** The position of the last event in the log, undefined when it is empty or the store cannot say. */
export async function headPositionOf(store: EventStore): Promise<number | undefined> {
  const own = (store as OptionalPortMethods).headPosition;
  if (!own) return undefined;
  const head = await own.call(store);
  return head === undefined ? undefined : typeof head === 'number' ? head : Number.parseInt(head, 10);
}
