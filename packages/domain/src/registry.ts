import { accountSlice } from './account/index.ts';
import { authSlice } from './auth/index.ts';
import { cameraSlice } from './camera/index.ts';
import { directorySlice } from './directory/index.ts';
import { folderSlice } from './folder/index.ts';
import { forumSlice } from './forum/index.ts';
import { itemSlice } from './item/index.ts';
import {
  type Aggregate,
  type AnyCommandHandler,
  eventTypesOf,
  type Reactor,
  type Slice,
  type StoredEvent,
} from './kernel/index.ts';
import { messageSlice } from './message/index.ts';
import { networkSlice } from './network/index.ts';

// The one list of slices. Everything that serves or reads commands and events
// (worker, client, auditor) is derived from here.
export const slices = [
  accountSlice,
  cameraSlice,
  directorySlice,
  folderSlice,
  itemSlice,
  networkSlice,
  forumSlice,
  messageSlice,
  authSlice,
] as const satisfies readonly Slice[];

/** Every command handler, with its literal name and payload types. */
export type KnownCommand = (typeof slices)[number]['commands'][number];

export const commands: readonly AnyCommandHandler[] = slices.flatMap(
  (s): readonly AnyCommandHandler[] => s.commands,
);
export const commandsByName: ReadonlyMap<string, AnyCommandHandler> = new Map(
  commands.map((c) => [c.name, c]),
);

// biome-ignore lint/suspicious/noExplicitAny: aggregates of every state type
export const aggregatesByCategory: ReadonlyMap<string, Aggregate<any, any>> = new Map(
  slices.flatMap((s) => s.aggregates).map((a) => [a.category, a]),
);

const eventVersions: Readonly<Record<string, number>> = Object.assign(
  {},
  ...slices.map((s) => s.eventVersions ?? {}),
);

/** The schema version the domain writes for an event type today. */
export const schemaVersionOf = (eventType: string): number => eventVersions[eventType] ?? 1;

const reactors: ReadonlyMap<string, Reactor> = new Map(
  slices.flatMap((s) => Object.entries(s.reactors ?? {})),
);

/** The event types some reactor maps to follow-ups: what the workers' durable follow-up queue hands out. */
export const followUpEventTypes: readonly string[] = [...reactors.keys()];

/**
 * The stream categories that can hold an event some reactor answers: the
 * follow-up queue need not see any other stream (most appends, such as an
 * account's credits, have none). An aggregate whose fold does not say which
 * types it knows is counted in, so the list can be too long, never too short.
 */
export const followUpCategories: readonly string[] = [...aggregatesByCategory.values()]
  .filter((aggregate) => {
    const types = eventTypesOf(aggregate);
    return !types || followUpEventTypes.some((type) => types.has(type));
  })
  .map((aggregate) => aggregate.category);

/** The follow-up commands an appended event asks for (none for most events). */
export const followUpsOf = (event: StoredEvent) => reactors.get(event.type)?.(event) ?? [];
