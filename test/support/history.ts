import { connectJetStreamStore } from '@camledger/event-store';
import type { NatsConnection } from 'nats';

// What the workers wrote, read straight from JetStream (not through a worker
// or the domain's own folds), and small folds of it written here from the
// contract. A test compares them with what its clients were told, so the
// oracle is the history itself, never the code under test.

export interface HistoryEvent {
  /** Index in the global log, from 0: the order in which the events were appended. */
  readonly order: number;
  /** The position of the append the event belongs to: one append, one position. */
  readonly position: number;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** Every event under `prefix`, in log order. */
export async function readHistory(nc: NatsConnection, prefix: string): Promise<HistoryEvent[]> {
  const store = await connectJetStreamStore(nc, { prefix, replicas: 1 });
  try {
    const events: HistoryEvent[] = [];
    for await (const e of store.readAll())
      events.push({
        order: events.length,
        // A number, or a string holding one in older versions of the store port.
        position: Number(e.position),
        stream: e.stream,
        revision: e.revision,
        type: e.type,
        data: (e.data ?? {}) as Record<string, unknown>,
        metadata: e.metadata,
      });
    return events;
  } finally {
    await store.close();
  }
}

const category = (stream: string) => stream.slice(0, stream.indexOf('-'));
const idOfStream = (stream: string) => stream.slice(stream.indexOf('-') + 1);

export interface Balance {
  readonly balance: number;
  /** The lowest balance the account ever had after an event: below 0 means credits were spent twice. */
  readonly lowest: number;
  readonly sessions: number;
}

/** Credits per account: `CreditsAdded` adds, `LiveViewStarted` spends what it says it cost. */
export function balances(events: readonly HistoryEvent[]): Map<string, Balance> {
  const out = new Map<string, Balance>();
  for (const e of events) {
    if (category(e.stream) !== 'account') continue;
    const id = idOfStream(e.stream);
    const before = out.get(id) ?? { balance: 0, lowest: 0, sessions: 0 };
    const credits = Number(e.data.credits ?? 0);
    if (e.type === 'CreditsAdded') out.set(id, { ...before, balance: before.balance + credits });
    else if (e.type === 'LiveViewStarted') {
      const balance = before.balance - credits;
      out.set(id, { balance, lowest: Math.min(before.lowest, balance), sessions: before.sessions + 1 });
    } else out.set(id, before);
  }
  return out;
}

/** Users whose account was opened (`AccountRegistered`), with the username it holds. */
export function accounts(events: readonly HistoryEvent[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events)
    if (e.type === 'AccountRegistered') out.set(idOfStream(e.stream), String(e.data.username));
  return out;
}

export interface FolderFact {
  readonly id: string;
  /** Every tree that created a folder with this id: more than one is one id with two owners. */
  readonly owners: readonly string[];
  readonly name: string;
  readonly parent: string | null;
  readonly deleted: boolean;
}

/** Folders by id, folded from the `foldertree-<owner>` streams. */
export function folders(events: readonly HistoryEvent[]): Map<string, FolderFact> {
  const out = new Map<string, FolderFact>();
  const parentOf = (v: unknown) => (v === null || v === undefined || v === 0 || v === '0' ? null : String(v));
  for (const e of events) {
    if (category(e.stream) !== 'foldertree') continue;
    const owner = idOfStream(e.stream);
    const id = String(e.data.folderId);
    const known = out.get(id);
    if (e.type === 'FolderCreated')
      out.set(id, {
        id,
        owners: [...(known?.owners ?? []), owner],
        name: String(e.data.name),
        parent: parentOf(e.data.parentId),
        deleted: false,
      });
    else if (!known) continue;
    else if (e.type === 'FolderRenamed') out.set(id, { ...known, name: String(e.data.name) });
    else if (e.type === 'FolderMoved') out.set(id, { ...known, parent: parentOf(e.data.parentId) });
    else if (e.type === 'FolderDeleted')
      // The event names only its folder: every live folder whose chain of
      // parents reaches it went too (version 1 listed them, the same set).
      for (const gone of [id, ...liveBelow(out, id)]) {
        const f = out.get(gone);
        if (f) out.set(gone, { ...f, deleted: true });
      }
  }
  return out;
}

/** The live folders of `tree` whose chain of live parents leads up to `folderId` (live or not, as the fold takes them). */
function liveBelow(tree: ReadonlyMap<string, FolderFact>, folderId: string): string[] {
  return [...tree.values()]
    .filter((f) => {
      if (f.deleted || f.id === folderId) return false;
      const seen = new Set<string>();
      for (let at = f.parent; at !== null && !seen.has(at); at = tree.get(at)?.parent ?? null) {
        if (at === folderId) return true;
        seen.add(at);
        const parent = tree.get(at);
        if (!parent || parent.deleted) return false;
      }
      return false;
    })
    .map((f) => f.id);
}

/** A folder that is its own ancestor, if any (the tree must never have a cycle). */
export function cycleIn(tree: ReadonlyMap<string, FolderFact>): string[] | undefined {
  for (const start of tree.keys()) {
    const path: string[] = [];
    for (let at: string | null = start; at !== null; at = tree.get(at)?.parent ?? null) {
      if (path.includes(at)) return [...path, at];
      path.push(at);
    }
  }
  return undefined;
}

export interface ItemFact {
  readonly id: string;
  readonly owner: string;
  readonly folder: string | null;
  readonly status: 'live' | 'trashed' | 'purged';
}

/** Clips by id: where each is (a folder or the inbox) and whether it is in the trash or gone. */
export function items(events: readonly HistoryEvent[]): Map<string, ItemFact> {
  const out = new Map<string, ItemFact>();
  for (const e of events) {
    if (category(e.stream) !== 'item') continue;
    const id = idOfStream(e.stream);
    const known = out.get(id);
    if (e.type === 'ItemRecorded')
      out.set(id, { id, owner: String(e.data.ownerId), folder: null, status: 'live' });
    else if (!known) continue;
    else if (e.type === 'ItemMoved') out.set(id, { ...known, folder: String(e.data.toFolderId) });
    else if (e.type === 'ItemTrashed') out.set(id, { ...known, folder: null, status: 'trashed' });
    else if (e.type === 'ItemRestored')
      out.set(id, {
        ...known,
        folder: e.data.toFolderId === null ? null : String(e.data.toFolderId),
        status: 'live',
      });
    else if (e.type === 'ItemPurged') out.set(id, { ...known, status: 'purged' });
  }
  return out;
}
