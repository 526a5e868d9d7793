import type { accountAggregate, DomainEvent } from '@camledger/domain';
import type { RecordedEvent } from '@camledger/event-store';
import {
  type CameraState,
  cameraFieldNames,
  categoryOf,
  type FolderTreeState,
  type ForumThreadState,
  type ItemState,
  type NetworkState,
  networkDetailFields,
  networkTypes,
  type PrivateThreadState,
  trashWindowEndsAt,
} from '../domain.ts';
import { idOf } from '../fold.ts';

// One small function per invariant of DOMAIN.md that history must show. Each
// looks at one event with the state of its stream just before and just after
// it (and, for rules that span aggregates, the states of every stream at that
// point of the global order), and answers what is wrong, or null.

export interface CheckInput {
  readonly recorded: RecordedEvent;
  /** The event as the domain reads it today (upcast); undefined when it could not be folded. */
  readonly event: DomainEvent | undefined;
  readonly before: unknown;
  readonly after: unknown;
  readonly previousRevision: number;
  /** Every stream's state after this event, in global order. */
  readonly states: ReadonlyMap<string, unknown>;
  readonly trashRetentionMs: number;
}

export type Check = (input: CheckInput) => string | null;

const SYSTEM = 'system';
const actorOf = (r: RecordedEvent): unknown => r.metadata.actor;
// biome-ignore lint/suspicious/noExplicitAny: event data is read by field, per type
type Data = any;

/** Revisions of a stream are 0, 1, 2, … with no gap and no repeat. */
export const revisionsContiguous: Check = ({ recorded, previousRevision }) =>
  recorded.revision === previousRevision + 1
    ? null
    : `revision ${recorded.revision} follows revision ${previousRevision} of the stream`;

/** Every event says who, when, through which command, and in which schema version. */
export const metadataComplete: Check = ({ recorded }) => {
  const m = recorded.metadata;
  const missing: string[] = [];
  for (const field of ['commandId', 'correlationId', 'actor'] as const)
    if (typeof m[field] !== 'string' || m[field] === '') missing.push(field);
  const at = m.occurredAt;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || !/^\d{4}-\d\d-\d\dT/.test(at))
    missing.push('occurredAt');
  // None at all predates versioning and is read as version 1 (docs/cli.md).
  const v = m.schemaVersion;
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1))
    missing.push('schemaVersion');
  return missing.length === 0 ? null : `metadata lacks ${missing.join(', ')}`;
};

/** The event could be folded by the domain (a known category, type and shape). */
export const foldable: Check = ({ event }) => (event ? null : 'the domain cannot fold this event');

/** The folder a creation, rename or move names (whose place or name changed), else null. */
export const touchedFolder = (event: DomainEvent | undefined): string | null =>
  event && ['FolderCreated', 'FolderRenamed', 'FolderMoved'].includes(event.type)
    ? ((event.data as Data).folderId as string)
    : null;

/**
 * A folder is created or moved only under a live folder of its own tree (or
 * at the top level): the parent and the folder are in one stream, so no race
 * between commands can excuse one that was missing or deleted (4100).
 */
export const folderParentLive: Check = ({ event, before }) => {
  if (event?.type !== 'FolderCreated' && event?.type !== 'FolderMoved') return null;
  const { folderId, parentId } = event.data as { folderId: string; parentId: string | null };
  if (parentId === null) return null;
  const parent = (before as FolderTreeState).folders.get(parentId);
  if (!parent) return `folder ${folderId} put under ${parentId}, not a folder of this tree`;
  return parent.deleted ? `folder ${folderId} put under ${parentId}, deleted` : null;
};

/** Walking up from any folder reaches the top level. */
export const folderTreeAcyclic: Check = ({ event, after }) => {
  const folderId = touchedFolder(event);
  if (!folderId) return null;
  const tree = after as FolderTreeState;
  const seen = new Set<string>();
  let current: string | null = folderId;
  while (current !== null) {
    if (seen.has(current)) return `folder ${folderId} is its own ancestor (through ${current})`;
    seen.add(current);
    current = tree.folders.get(current)?.parentId ?? null;
  }
  return null;
};

/**
 * An item goes to the trash only from where it lives, at the moment the
 * event says: its window is measured from `trashedAt`, so a second trashing
 * or a `trashedAt` later than the event itself would move the window on.
 */
export const trashedOnceWhenSaid: Check = ({ recorded, event, before }) => {
  if (event?.type !== 'ItemTrashed') return null;
  const item = before as ItemState;
  if (item.status !== 'live') return `trashed an item that was ${item.status}`;
  const said = (event.data as Data).trashedAt;
  return said === recorded.metadata.occurredAt
    ? null
    : `trashedAt ${said} is not when the event occurred (${recorded.metadata.occurredAt})`;
};

/** An item comes back from the trash only while it is in it and before its window closes. */
export const restoreWithinTrashWindow: Check = ({ recorded, event, before, trashRetentionMs }) => {
  if (event?.type !== 'ItemRestored') return null;
  const item = before as ItemState;
  if (item.status !== 'trashed' || !item.trash) return 'restored an item that was not in the trash';
  const at = Date.parse(String(recorded.metadata.occurredAt));
  const closes = trashWindowEndsAt(item.trash.trashedAt, trashRetentionMs);
  return at < closes
    ? null
    : `restored at ${recorded.metadata.occurredAt}, the trash window closed at ${new Date(closes).toISOString()}`;
};

/**
 * Who may have caused an event: the owner of the thing it changes, as the
 * domain's own state names them (or the event itself, for an event that
 * creates the thing). `undefined`: no rule for this stream (a slice the
 * auditor does not know yet).
 */
function rightfulActors(input: CheckInput): readonly (string | null)[] | undefined {
  const { recorded, before } = input;
  const event = input.event as DomainEvent & { data: Data };
  const id = idOf(recorded.stream);
  switch (categoryOf(recorded.stream)) {
    case 'account':
    case 'foldertree':
      return [id];
    case 'username':
      return [event.data.userId];
    case 'directory':
      return [event.data.owner];
    // A user registers their own creator tag (folder.create, as its actor).
    case 'idtag':
      return [event.data.userId];
    case 'camera':
      return [event.type === 'CameraRegistered' ? event.data.ownerId : (before as CameraState).ownerId];
    case 'item':
      return ['ItemRecorded', 'ItemCopied', 'SnapshotItemCreated'].includes(event.type)
        ? [event.data.ownerId]
        : [(before as ItemState).ownerId];
    case 'network': {
      const network = before as NetworkState;
      switch (event.type) {
        case 'NetworkCreated':
          return [event.data.ownerId];
        // A user joins, asks, accepts and leaves for themselves only.
        case 'NetworkJoined':
        case 'NetworkJoinRequested':
        case 'NetworkInvitationAccepted':
        case 'NetworkLeft':
          return [event.data.userId];
        // Any member may invite (DOMAIN.md: 5002 for a non-member).
        case 'NetworkInvitationSent':
          return [...network.members.keys()];
        default:
          return [network.ownerId];
      }
    }
    // Only the two participants write in a private thread, each as themselves.
    case 'privatethread':
      return event.type === 'PrivateThreadStarted' ||
        (before as PrivateThreadState).participants.includes(event.data.senderId)
        ? [event.data.senderId]
        : [];
    // Only members of the network post in its forum, each as themselves.
    case 'forumthread': {
      const network = input.states.get(`network-${event.data.networkId}`) as NetworkState | undefined;
      return network?.members.has(event.data.authorId) ? [event.data.authorId] : [];
    }
    default:
      return undefined;
  }
}

/** Nobody but the owner (or the system, for internal commands and follow-ups) changes a thing. */
export const actorOwnsTarget: Check = (input) => {
  if (!input.event) return null;
  const actor = actorOf(input.recorded);
  if (actor === SYSTEM) return null;
  const rightful = rightfulActors(input);
  if (rightful === undefined || rightful.includes(actor as string)) return null;
  return `actor ${String(actor)} is not the owner (${rightful.filter(Boolean).join(', ') || 'nobody'})`;
};

/** The cameras a user brought are theirs and not deleted, at that moment. */
function camerasNotOwned(states: ReadonlyMap<string, unknown>, userId: string, cameras: readonly string[]) {
  return cameras.filter((id) => {
    const camera = states.get(`camera-${id}`) as CameraState | undefined;
    return !camera?.exists || camera.deleted || camera.ownerId !== userId;
  });
}

/**
 * The event types only internal commands write (and follow-ups, which run
 * as them): the internal channel admits no actor but `system` (8). A user
 * who owns the account may not add credits to it, register a camera or
 * record a clip, so ownership alone (actorOwnsTarget) does not cover these.
 * Directory claims are not here: a user's folder.create with a chosen id
 * writes one as that user.
 */
const writtenBySystemOnly: ReadonlySet<string> = new Set([
  'AccountRegistered',
  'UsernameClaimed',
  'CreditsAdded',
  'CameraRegistered',
  'LiveViewConnected',
  'LiveViewDisconnected',
  'ItemRecorded',
  'SnapshotItemCreated',
  'SnapshotCopyLinked',
  'ConsumerAdded',
  'ConsumerRemoved',
  'TokenIssued',
  'TokenRevoked',
]);

/** An event of an internal command was written by `system`, never by a user. */
export const internalBySystem: Check = ({ recorded, event }) => {
  if (!event || !writtenBySystemOnly.has(event.type)) return null;
  const actor = actorOf(recorded);
  return actor === SYSTEM
    ? null
    : `${event.type} is written by internal commands only, as system, not by ${String(actor)}`;
};

const cameraDetailFields: ReadonlySet<string> = new Set(Object.values(cameraFieldNames));
const networkFields: ReadonlySet<string> = new Set(networkDetailFields);

/** The fields `changes` names that are not among `details`, as a message about `thing`; null if none. */
function beyondDetails(changes: Data, details: ReadonlySet<string>, thing: string): string | null {
  const foreign = Object.keys(changes).filter((field) => !details.has(field));
  return foreign.length > 0 ? `changes ${foreign.join(', ')}, not details of ${thing}` : null;
}

/** What is wrong with a network's `changes`: a field that is no detail, or a value of the wrong kind. */
function networkChangesWrong(changes: Data): string | null {
  const foreign = beyondDetails(changes, networkFields, 'a network');
  if (foreign) return foreign;
  if ('type' in changes && !networkTypes.includes(changes.type))
    return `changes the type to ${String(changes.type)}`;
  if ('requiresCameras' in changes && typeof changes.requiresCameras !== 'boolean')
    return 'changes requiresCameras to a value that is not true or false';
  for (const field of ['name', 'description'])
    if (field in changes && typeof changes[field] !== 'string')
      return `changes ${field} to a value that is not text`;
  return null;
}

/**
 * An update changes details only. The folds apply `changes` as they are
 * given, so one that named `ownerId`, `members` or `deleted` would hand the
 * thing to someone else, or undo its deletion, and every other check would
 * then read the forged state.
 */
export const updatesChangeDetailsOnly: Check = ({ event }) => {
  if (event?.type === 'NetworkUpdated') return networkChangesWrong((event.data as Data).changes ?? {});
  if (event?.type !== 'CameraUpdated') return null;
  return beyondDetails((event.data as Data).changes ?? {}, cameraDetailFields, 'a camera');
};

/** Network membership follows the rules of DOMAIN.md §3 network. */
export const networkMembershipRules: Check = ({ recorded, event, before, states }) => {
  if (!event || categoryOf(recorded.stream) !== 'network') return null;
  const network = before as NetworkState;
  const data = event.data as Data;
  // A second creation of one network id is `oneOwnerPerId`'s to name.
  if (event.type === 'NetworkCreated') return null;
  if (!network.exists || network.deleted)
    return `${event.type} on a network that does not exist or was deleted`;
  const member = (userId: string) => network.members.has(userId);
  const admission = (userId: string, cameras: readonly string[]) => {
    if (member(userId)) return `${userId} was already a member`;
    if (network.requiresCameras && cameras.length === 0)
      return `${userId} joined without cameras, which the network requires`;
    const foreign = camerasNotOwned(states, userId, cameras);
    return foreign.length > 0 ? `${userId} brought cameras not theirs: ${foreign.join(', ')}` : null;
  };
  switch (event.type) {
    case 'NetworkJoined':
      return network.type !== 'public'
        ? `${data.userId} joined a ${network.type} network directly`
        : admission(data.userId, data.cameras);
    case 'NetworkJoinRequestApproved':
      return network.requests.has(data.userId)
        ? admission(data.userId, data.cameras)
        : `no pending request of ${data.userId} to approve`;
    case 'NetworkJoinRequestDeclined':
      return network.requests.has(data.userId) ? null : `no pending request of ${data.userId} to decline`;
    case 'NetworkInvitationAccepted': {
      const invitation = network.invitations.get(data.invitationId);
      if (invitation?.status !== 'pending' || invitation.userId !== data.userId)
        return `invitation ${data.invitationId} was not pending for ${data.userId}`;
      return admission(data.userId, data.cameras);
    }
    // A hidden network admits no request (5001 to a non-member, 5402 to a member).
    case 'NetworkJoinRequested':
      return network.type === 'hidden'
        ? `${data.userId} asked to join a hidden network`
        : admission(data.userId, data.cameras);
    case 'NetworkInvitationSent':
      return member(data.userId) ? `invited ${data.userId}, already a member` : null;
    case 'NetworkLeft':
    case 'NetworkMemberRemoved':
      return member(data.userId) ? null : `${data.userId} was not a member`;
    default:
      return null;
  }
};

/**
 * A forum reply goes to a thread that was started, and says the network the
 * thread is in: the thread's stream holds both, so no race excuses another
 * (a reply filed under one network's forum while its thread is in another's).
 */
export const forumReplyInItsThread: Check = ({ event, before }) => {
  if (event?.type !== 'ForumReplyPosted') return null;
  const thread = before as ForumThreadState;
  const { networkId } = event.data as Data;
  if (!thread.exists) return 'a reply to a thread that was never started';
  return networkId === thread.networkId
    ? null
    : `a reply filed under network ${networkId}, in a thread of network ${thread.networkId}`;
};

/** A private thread is between two users: nobody writes to themselves (6200). */
export const messagesBetweenTwo: Check = ({ event }) => {
  if (event?.type !== 'PrivateThreadStarted') return null;
  const { senderId, recipientId } = event.data as Data;
  return senderId === recipientId ? `${senderId} started a private thread with themselves` : null;
};

type AccountState = typeof accountAggregate.initial;

/**
 * A balance never goes below zero: named on the event that takes it there
 * from zero or above (a later spend while still negative is the same fault).
 */
export const creditsNeverNegative: Check = ({ recorded, event, before, after }) => {
  if (!event || categoryOf(recorded.stream) !== 'account') return null;
  const was = (before as AccountState).credits;
  const is = (after as AccountState).credits;
  return is < 0 && was >= 0
    ? `account ${idOf(recorded.stream)} has ${is} credits after ${event.type} (had ${was})`
    : null;
};

/** Every per-event invariant verify checks, by the name its report uses. */
export const checks: Readonly<Record<string, Check>> = {
  revisionsContiguous,
  metadataComplete,
  foldable,
  folderParentLive,
  folderTreeAcyclic,
  trashedOnceWhenSaid,
  restoreWithinTrashWindow,
  actorOwnsTarget,
  internalBySystem,
  updatesChangeDetailsOnly,
  networkMembershipRules,
  messagesBetweenTwo,
  forumReplyInItsThread,
  creditsNeverNegative,
};
