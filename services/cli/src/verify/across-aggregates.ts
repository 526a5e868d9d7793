import {
  commandIdMemoryMs,
  creatorTag,
  creatorTagOf,
  type IdTagState,
  normalizeUsername,
} from '@camledger/domain';
import { categoryOf } from '../domain.ts';
import { idOf } from '../fold.ts';
import type { CheckInput } from './checks.ts';
import { siblingNamesUnique } from './sibling-names.ts';

// Invariants that no single stream can keep: each needs to remember what
// earlier events, on other streams, created or claimed. A run of verify makes
// a fresh instance of each (`historyChecks()`), which it feeds every folded
// event in log order.

export interface HistoryCheck {
  /** What is wrong with this event given everything before it, or null. */
  step(input: CheckInput): string | null;
}

// biome-ignore lint/suspicious/noExplicitAny: event data is read by field, per type
type Data = any;
interface Reservation {
  readonly owner: string | null;
}
interface Claim {
  readonly kind: string | null;
  readonly owner: string | null;
  readonly container: string | null;
}

const at = (input: CheckInput) => `${input.recorded.stream}@${input.recorded.revision}`;

/**
 * One account per username, compared in the domain's normalised form: no
 * reservation taken over by a second user, no account opened for a name
 * another account already holds, and none opened past the reservation (for
 * a name reserved by nobody, or by someone else).
 */
export function oneAccountPerUsername(): HistoryCheck {
  const accountOf = new Map<string, { userId: string; at: string }>();
  return {
    step(input) {
      const { event, recorded, before, states } = input;
      if (event?.type === 'UsernameClaimed') {
        const { userId, username } = event.data as Data;
        const key = normalizeUsername(username);
        if (idOf(recorded.stream) !== key)
          return `username "${username}" reserved in ${recorded.stream}, not in username-${key}`;
        const holder = (before as Reservation).owner;
        return holder !== null && holder !== userId
          ? `username "${username}" reserved for ${userId} while ${holder} held it`
          : null;
      }
      if (event?.type !== 'AccountRegistered') return null;
      const { userId, username } = event.data as Data;
      const key = normalizeUsername(username);
      const problems: string[] = [];
      const first = accountOf.get(key);
      if (first === undefined) accountOf.set(key, { userId, at: at(input) });
      else if (first.userId !== userId)
        problems.push(`username "${username}" already belongs to account ${first.userId} (${first.at})`);
      const reservation = states.get(`username-${key}`) as Reservation | undefined;
      if (!reservation?.owner) problems.push(`username-${key} was never reserved`);
      else if (reservation.owner !== userId)
        problems.push(`username-${key} is reserved for ${reservation.owner}, not ${userId}`);
      return problems.length === 0 ? null : problems.join('; ');
    },
  };
}

/** The events that bring a thing into being, and where each names the new id. */
const creations: Readonly<Record<string, { readonly kind: string; readonly id: (d: Data) => string }>> = {
  AccountRegistered: { kind: 'account', id: (d) => d.userId },
  CameraRegistered: { kind: 'camera', id: (d) => d.cameraId },
  ItemRecorded: { kind: 'item', id: (d) => d.itemId },
  ItemCopied: { kind: 'item', id: (d) => d.itemId },
  SnapshotItemCreated: { kind: 'item', id: (d) => d.itemId },
  FolderCreated: { kind: 'folder', id: (d) => d.folderId },
  NetworkCreated: { kind: 'network', id: (d) => d.networkId },
  NetworkInvitationSent: { kind: 'invitation', id: (d) => d.invitationId },
  PrivateThreadStarted: { kind: 'private thread', id: (d) => d.threadId },
  ForumThreadStarted: { kind: 'forum thread', id: (d) => d.threadId },
  LiveViewStarted: { kind: 'live view session', id: (d) => d.sessionId },
};

/** The folder an item event puts an item in (null: the inbox, or no folder involved). */
function folderPlacedIn(type: string, data: Data): string | null {
  switch (type) {
    case 'ItemMoved':
    case 'ItemRestored':
      return data.toFolderId ?? null;
    case 'ItemCopied':
    case 'SnapshotItemCreated':
    case 'SnapshotTaken':
      return data.folderId ?? null;
    default:
      return null;
  }
}

/** Whose the item is: named by the event that creates it, else by its state just before. */
const ownerOnPlacement = (type: string, data: Data, before: unknown): string | null =>
  type === 'ItemCopied' || type === 'SnapshotItemCreated'
    ? data.ownerId
    : (before as { ownerId: string | null }).ownerId;

/**
 * An id names one thing, forever (DOMAIN.md §1): it is created once, by one
 * owner, in one stream; where the directory records whose an id is
 * (client-chosen folder ids, invitations), the claim and the thing agree on
 * the owner (and a folder's claim comes before the folder); a generated
 * folder id carries its owner's creator tag, registered before it; and
 * nobody files an item in someone else's folder.
 */
export function oneOwnerPerId(): HistoryCheck {
  /** Where each id was created: `stream@revision`. */
  const createdAt = new Map<string, string>();
  /** Whose each folder or invitation is, by the stream that created it. */
  const holders = new Map<string, { owner: string; container: string }>();

  const claimMismatch = (id: string, claim: Claim | undefined, owner: string, container: string) =>
    claim?.owner && (claim.owner !== owner || claim.container !== container)
      ? `${id} is claimed in the directory for ${claim.owner} (in ${claim.container}), not ${owner} (in ${container})`
      : null;

  return {
    step(input) {
      const { event, recorded, before, states } = input;
      if (!event) return null;
      const data = event.data as Data;
      const problems: string[] = [];

      const creation = creations[event.type];
      if (creation) {
        const id = creation.id(data);
        const earlier = createdAt.get(id);
        if (earlier) problems.push(`${creation.kind} ${id} was already created at ${earlier}`);
        else createdAt.set(id, at(input));
      }

      if (event.type === 'FolderCreated') {
        const treeOwner = idOf(recorded.stream);
        if (data.ownerId !== treeOwner)
          problems.push(`folder ${data.folderId} of ${data.ownerId} created in ${recorded.stream}`);
        if (!holders.has(data.folderId))
          holders.set(data.folderId, { owner: treeOwner, container: treeOwner });
        const tag = creatorTagOf(data.folderId);
        if (tag !== null) {
          // A generated id is claimed nowhere: it carries its creator's tag,
          // registered before the creator's first generated folder.
          const tagHolders = states.get(`idtag-${tag}`) as IdTagState | undefined;
          if (tag !== creatorTag(treeOwner))
            problems.push(`folder ${data.folderId} carries another creator's tag than ${treeOwner}'s`);
          else if (!tagHolders?.users.includes(treeOwner))
            problems.push(
              `folder ${data.folderId} was created before ${treeOwner}'s creator tag was registered`,
            );
        } else {
          const claim = states.get(`directory-${data.folderId}`) as Claim | undefined;
          // folder.create claims a client-chosen id before it writes the folder, so the claim is always there first.
          if (!claim?.owner)
            problems.push(`folder ${data.folderId} was created before its id was claimed in the directory`);
          const mismatch = claimMismatch(data.folderId, claim, treeOwner, treeOwner);
          if (mismatch) problems.push(mismatch);
        }
      }

      if (event.type === 'AccountRegistered') {
        // A client-chosen user id is claimed by its registration, for one username.
        const claim = states.get(`directory-${data.userId}`) as Claim | undefined;
        const name = normalizeUsername(String(data.username));
        if (claim?.kind === 'account' && claim.container !== name)
          problems.push(
            `account ${data.userId} opened as "${name}", but its id is claimed by the registration of "${claim.container}"`,
          );
      }

      if (event.type === 'NetworkInvitationSent') {
        const network = idOf(recorded.stream);
        if (!holders.has(data.invitationId))
          holders.set(data.invitationId, { owner: data.userId, container: network });
        const claim = states.get(`directory-${data.invitationId}`) as Claim | undefined;
        const mismatch = claimMismatch(data.invitationId, claim, data.userId, network);
        if (mismatch) problems.push(mismatch);
      }

      const placed = folderPlacedIn(event.type, data);
      if (placed) {
        const itemOwner = ownerOnPlacement(event.type, data, before);
        const holder = holders.get(placed);
        if (holder && holder.owner !== itemOwner)
          problems.push(`item of ${itemOwner} put in folder ${placed} of ${holder.owner}`);
      }

      if (event.type === 'IdClaimed' && categoryOf(recorded.stream) === 'directory') {
        const earlier = before as Claim;
        if (earlier.owner !== null && (earlier.owner !== data.owner || earlier.container !== data.container))
          problems.push(`${data.id} claimed for ${data.owner} while ${earlier.owner} held the claim`);
        const holder = holders.get(data.id);
        if (holder && (holder.owner !== data.owner || holder.container !== data.container))
          problems.push(
            `${data.id} claimed for ${data.owner} (in ${data.container}) but belongs to ${holder.owner} (in ${holder.container})`,
          );
      }
      return problems.length === 0 ? null : problems.join('; ');
    },
  };
}

/** A fresh instance of every check that spans aggregates, by the name its report uses. */
/**
 * Categories a command writes to before its own stream, under its own key:
 * the claims of an id, a creator tag or a username.
 */
const claimCategories = new Set(['directory', 'idtag', 'username']);

/**
 * A command's effect is appended once (DOMAIN.md §2): under one actor's
 * command id, within the 7 days ids are remembered, one append to a stream
 * and one stream besides its claims. A retry applied again, or an id
 * reused for another thing and applied, shows as a second append.
 */
export function appliedOnce(): HistoryCheck {
  const appends = new Map<string, { readonly at: number; readonly streams: Map<string, number> }>();
  return {
    step({ recorded }) {
      const { actor, commandId, occurredAt } = recorded.metadata;
      if (typeof actor !== 'string' || typeof commandId !== 'string') return null;
      const at = Date.parse(String(occurredAt));
      // Log order is time order: forget keys older than the memory (a reuse
      // after it may apply again), oldest first. An event with no readable
      // time (metadataComplete reports it) forgets nothing: compared with
      // NaN, every key would look old.
      if (!Number.isNaN(at))
        for (const [key, entry] of appends) {
          if (entry.at > at - commandIdMemoryMs) break;
          appends.delete(key);
        }
      const key = `${actor}\u0000${commandId}`;
      const entry = appends.get(key) ?? { at, streams: new Map<string, number>() };
      appends.set(key, entry);
      const earlier = entry.streams.get(recorded.stream);
      if (earlier === recorded.position) return null;
      if (earlier !== undefined)
        return `command ${commandId} of ${actor} appended to ${recorded.stream} again (first at position ${earlier}): applied twice`;
      const category = categoryOf(recorded.stream);
      const other = [...entry.streams.keys()].find((s) => !claimCategories.has(categoryOf(s)));
      entry.streams.set(recorded.stream, recorded.position);
      if (!claimCategories.has(category) && other !== undefined)
        return `command ${commandId} of ${actor} appended to ${recorded.stream} after ${other}: one command, two effects`;
      return null;
    },
  };
}

/**
 * Every check that remembers earlier events, fresh for one run: those across
 * aggregates here, and the sibling-name rule of one tree, which remembers
 * names so as not to walk the tree on every event.
 */
export const historyChecks = (): Readonly<Record<string, HistoryCheck>> => ({
  siblingNamesUnique: siblingNamesUnique(),
  oneAccountPerUsername: oneAccountPerUsername(),
  oneOwnerPerId: oneOwnerPerId(),
  appliedOnce: appliedOnce(),
});
