import type { DomainEvent } from '../kernel/index.ts';

// Events are stored forever, in the shape they had when they were written.
// The domain only folds today's shapes, so every read path (the worker's
// state loading, the auditor's replay and verify) lifts an old event to the
// current version first, one version at a time. An upcaster is a pure
// function of the old data: it must not need any other event, the clock or
// the store, or a replay would no longer be a fold of history alone.

/** What an upcaster needs of a stored event: its type, data and `metadata.schemaVersion`. */
export interface VersionedEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

type Lift = (data: Readonly<Record<string, unknown>>) => Record<string, unknown>;

/**
 * The top level of a folder tree was once written as the wire spells it,
 * `parentId: 0` (a number, and sometimes the string "0" as clients send it);
 * version 2 says `null`, so a folder id can never be confused with a number.
 */
const topLevelIsNull: Lift = (data) => ({
  ...data,
  parentId: data.parentId === 0 || data.parentId === '0' ? null : data.parentId,
});

/**
 * FolderDeleted once listed the whole subtree it took (`deletedFolderIds`).
 * The list is what folding the tree up to the event yields anyway, so
 * version 2 leaves it out and the fold works it out.
 */
const subtreeNotListed: Lift = ({ deletedFolderIds: _listed, ...data }) => data;

/** For each event type whose shape changed: the upcaster from version n to n + 1, keyed by n. */
const upcasters: Readonly<Record<string, Readonly<Record<number, Lift>>>> = {
  FolderCreated: { 1: topLevelIsNull },
  FolderMoved: { 1: topLevelIsNull },
  FolderDeleted: { 1: subtreeNotListed },
};

/**
 * The schema version the domain writes today for each event type an upcaster
 * lifts. The registry's `schemaVersionOf` must answer these (they override the
 * slices' tables), so new events are stamped with the version they have.
 */
export const currentEventVersions: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(upcasters).map(([type, steps]) => [type, Math.max(...Object.keys(steps).map(Number)) + 1]),
);

/**
 * The version an event was written at. An event without one predates
 * versioning, which began at 1, so it is read as 1.
 */
export function storedVersionOf(event: VersionedEvent): number {
  const version = event.metadata?.schemaVersion;
  return typeof version === 'number' && Number.isInteger(version) && version >= 1 ? version : 1;
}

/**
 * The event in the shape the domain folds today. Events already current, and
 * types that never changed, come back as they are (same data object). A
 * version newer than this code knows is left alone too: folding it is the
 * caller's risk, and the auditor's replay reports it if the fold fails.
 */
export function upcast(event: VersionedEvent): DomainEvent {
  const steps = upcasters[event.type];
  if (!steps) return { type: event.type, data: event.data };
  let data = event.data as Readonly<Record<string, unknown>>;
  for (let version = storedVersionOf(event); steps[version] !== undefined; version++) {
    data = (steps[version] as Lift)(data);
  }
  return { type: event.type, data };
}
