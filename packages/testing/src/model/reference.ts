// The reference model: a deliberately small, independent description of the
// rules of DOMAIN.md §3 and docs/domain/*.md, in plain maps. It imports
// nothing of the domain: what it predicts comes from the contract, not from
// the code under test. Each `predict…` answers the codes the contract allows
// for a command in the model's state and, for a success, how the state
// changes (`apply`, given the ids the reply names).

export type Result = Readonly<Record<string, string>>;

export interface Prediction {
  /** The codes a reply may carry; one, except where the contract's order of checks leaves a choice. */
  readonly codes: readonly number[];
  /** How the model changes when the reply is a success. */
  readonly apply?: (result: Result) => void;
}

const exactly = (code: number, apply?: (result: Result) => void): Prediction =>
  apply ? { codes: [code], apply } : { codes: [code] };

export interface User {
  readonly id: string;
  readonly key: string;
}
export interface Camera {
  readonly id: string;
  readonly owner: string;
  readonly capable: boolean;
  connected: boolean;
  deleted: boolean;
}
export interface Folder {
  readonly id: string;
  readonly owner: string;
  name: string;
  parent: string | null;
  deleted: boolean;
}
export interface Item {
  readonly id: string;
  readonly owner: string;
  readonly camera: string;
  readonly kind: 'clip' | 'snapshot';
  readonly frames: readonly string[];
  /** For a snapshot (and copies of one): the clip and frame it shows. */
  readonly snapshotOf: { readonly clip: string; readonly identifier: string } | null;
  folder: string | null;
  status: 'live' | 'trashed' | 'purged';
  trashedAt: number;
  fromFolder: string | null;
}
export type NetworkType = 'public' | 'private' | 'hidden';
export interface Network {
  readonly id: string;
  readonly owner: string;
  name: string;
  type: NetworkType;
  requiresCameras: boolean;
  description: string;
  deleted: boolean;
  readonly members: Map<string, readonly string[]>;
  readonly requests: Map<string, readonly string[]>;
}
export interface Invitation {
  readonly id: string;
  readonly network: string;
  readonly user: string;
  status: 'pending' | 'accepted' | 'revoked';
}

/** Trimmed and NFC: how a name is kept. */
export const shownName = (name: string): string => name.trim().normalize('NFC');
/** How names are compared: shown name, case-insensitively. */
export const nameKeyOf = (name: string): string => shownName(name).toLowerCase().normalize('NFC');

export class ReferenceModel {
  now: number;
  readonly users = new Map<string, User>();
  readonly credits = new Map<string, number>();
  readonly cameras = new Map<string, Camera>();
  readonly folders = new Map<string, Folder>();
  readonly items = new Map<string, Item>();
  readonly networks = new Map<string, Network>();
  readonly invitations = new Map<string, Invitation>();
  readonly forumThreads = new Map<string, { readonly network: string }>();
  readonly privateThreads = new Map<string, { readonly participants: readonly string[] }>();

  constructor(
    start: number,
    readonly retentionMs: number,
  ) {
    this.now = start;
  }

  // --- account ---------------------------------------------------------------

  userByName(username: string): User | undefined {
    const key = username.trim().toLowerCase();
    for (const user of this.users.values()) if (user.key === key) return user;
    return undefined;
  }

  register(userId: string, username: string): Prediction {
    const key = username.trim().toLowerCase();
    const holder = this.userByName(username);
    if (holder && holder.id !== userId) return exactly(7000);
    if (holder) return exactly(10000);
    if (this.users.has(userId)) return exactly(128);
    return exactly(10000, () => {
      this.users.set(userId, { id: userId, key });
      this.credits.set(userId, 0);
    });
  }

  addCredits(userId: string, credits: number): Prediction {
    if (!this.users.has(userId)) return exactly(8);
    return exactly(10000, () => this.credits.set(userId, (this.credits.get(userId) ?? 0) + credits));
  }

  // --- camera ----------------------------------------------------------------

  liveCamera(id: string): Camera | undefined {
    const camera = this.cameras.get(id);
    return camera && !camera.deleted ? camera : undefined;
  }

  registerCamera(id: string, owner: string, capable: boolean): Prediction {
    if (!this.users.has(owner)) return exactly(8);
    const existing = this.cameras.get(id);
    if (existing) return exactly(existing.owner === owner && !existing.deleted ? 10000 : 128);
    return exactly(10000, () =>
      this.cameras.set(id, { id, owner, capable, connected: false, deleted: false }),
    );
  }

  private ownCamera(actor: string, id: string): number | Camera {
    const camera = this.liveCamera(id);
    if (!camera) return 2000;
    if (camera.owner !== actor) return 2001;
    return camera;
  }

  updateCamera(actor: string, id: string): Prediction {
    const camera = this.ownCamera(actor, id);
    return exactly(typeof camera === 'number' ? camera : 12000);
  }

  deleteCamera(actor: string, id: string): Prediction {
    const camera = this.ownCamera(actor, id);
    if (typeof camera === 'number') return exactly(camera);
    return exactly(12100, () => {
      camera.deleted = true;
      camera.connected = false;
    });
  }

  liveViewLink(id: string, connected: boolean): Prediction {
    const camera = this.liveCamera(id);
    if (!camera) return exactly(2000);
    return exactly(10000, () => {
      camera.connected = connected;
    });
  }

  startLiveView(actor: string, id: string): Prediction {
    const camera = this.ownCamera(actor, id);
    if (typeof camera === 'number') return exactly(camera);
    if (!camera.capable) return exactly(2002);
    if (!camera.connected) return exactly(2003);
    const balance = this.credits.get(actor) ?? 0;
    if (balance < 1) return exactly(1000);
    return exactly(10000, () => this.credits.set(actor, balance - 1));
  }

  // --- folder ----------------------------------------------------------------

  liveFolder(id: string | null): Folder | undefined {
    if (id === null) return undefined;
    const folder = this.folders.get(id);
    return folder && !folder.deleted ? folder : undefined;
  }

  /** own, someone else's (live), or nowhere (unknown, malformed, deleted). */
  private whose(actor: string, id: string): 'own' | 'other' | 'none' {
    const folder = this.liveFolder(id);
    if (!folder) return 'none';
    return folder.owner === actor ? 'own' : 'other';
  }

  private liveChildren(owner: string, parent: string | null): Folder[] {
    return [...this.folders.values()].filter((f) => !f.deleted && f.owner === owner && f.parent === parent);
  }

  /** The live folders below `id`, found by walking down from it. */
  private liveSubtree(id: string): Set<string> {
    const found = new Set<string>([id]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const f of this.folders.values())
        if (!f.deleted && f.parent !== null && found.has(f.parent) && !found.has(f.id)) {
          found.add(f.id);
          grew = true;
        }
    }
    return found;
  }

  createFolder(actor: string, folderId: string | undefined, name: string, parent: string | null): Prediction {
    const shown = shownName(name);
    if (folderId !== undefined) {
      const existing = this.folders.get(folderId);
      if (existing) {
        const repeat =
          !existing.deleted &&
          existing.owner === actor &&
          existing.name === shown &&
          existing.parent === parent;
        return exactly(repeat ? 10000 : 128);
      }
    }
    if (parent !== null) {
      const where = this.whose(actor, parent);
      if (where === 'other') return exactly(4102);
      if (where === 'none') return exactly(4100);
    }
    if (this.liveChildren(actor, parent).some((f) => nameKeyOf(f.name) === nameKeyOf(shown)))
      return exactly(4005);
    return exactly(10000, (result) => {
      const id = folderId ?? (result.folder_id as string);
      this.folders.set(id, { id, owner: actor, name: shown, parent, deleted: false });
    });
  }

  private ownFolder(actor: string, id: string): number | Folder {
    const where = this.whose(actor, id);
    if (where === 'other') return 4002;
    if (where === 'none') return 4000;
    return this.liveFolder(id) as Folder;
  }

  renameFolder(actor: string, id: string, name: string): Prediction {
    const folder = this.ownFolder(actor, id);
    if (typeof folder === 'number') return exactly(folder);
    const shown = shownName(name);
    if (folder.name === shown) return exactly(14000);
    const clash = this.liveChildren(actor, folder.parent).some(
      (f) => f.id !== folder.id && nameKeyOf(f.name) === nameKeyOf(shown),
    );
    if (clash) return exactly(4004);
    return exactly(14000, () => {
      folder.name = shown;
    });
  }

  moveFolder(actor: string, id: string, parent: string | null): Prediction {
    const folder = this.ownFolder(actor, id);
    if (typeof folder === 'number') return exactly(folder);
    if (parent === folder.parent || (parent !== null && this.liveSubtree(folder.id).has(parent)))
      return exactly(4003);
    if (parent !== null) {
      const where = this.whose(actor, parent);
      if (where === 'other') return exactly(4102);
      if (where === 'none') return exactly(4100);
    }
    if (this.liveChildren(actor, parent).some((f) => nameKeyOf(f.name) === nameKeyOf(folder.name)))
      return exactly(4004);
    return exactly(14002, () => {
      folder.parent = parent;
    });
  }

  deleteFolder(actor: string, id: string): Prediction {
    const folder = this.ownFolder(actor, id);
    if (typeof folder === 'number') return exactly(folder);
    return exactly(14100, () => {
      for (const gone of this.liveSubtree(folder.id)) (this.folders.get(gone) as Folder).deleted = true;
    });
  }

  // --- item ------------------------------------------------------------------

  /** Where an item is for everyone: an item in a deleted folder went with it, for good. */
  presence(id: string): 'none' | 'live' | 'trashed' {
    const item = this.items.get(id);
    if (!item || item.status === 'purged') return 'none';
    if (item.status === 'trashed') return 'trashed';
    if (item.folder !== null && !this.liveFolder(item.folder)) return 'none';
    return 'live';
  }

  record(itemId: string, cameraId: string, frames: readonly string[]): Prediction {
    const camera = this.liveCamera(cameraId);
    if (!camera) return exactly(2000);
    const existing = this.items.get(itemId);
    if (existing) return exactly(existing.camera === cameraId ? 10000 : 128);
    return exactly(10000, () =>
      this.items.set(itemId, {
        id: itemId,
        owner: camera.owner,
        camera: cameraId,
        kind: 'clip',
        frames,
        snapshotOf: null,
        folder: null,
        status: 'live',
        trashedAt: 0,
        fromFolder: null,
      }),
    );
  }

  /** 3000 unless the item exists (trash included), 3002 unless it is the actor's. */
  private ownItem(actor: string, id: string): number | Item {
    if (this.presence(id) === 'none') return 3000;
    const item = this.items.get(id) as Item;
    return item.owner === actor ? item : 3002;
  }

  /** As ownItem, and an item in the trash is not found. */
  private ownLiveItem(actor: string, id: string): number | Item {
    const item = this.ownItem(actor, id);
    if (typeof item !== 'number' && item.status === 'trashed') return 3000;
    return item;
  }

  /** A destination folder: the actor's live folder, else 3004 for someone else's live one, else 3005. */
  private destination(actor: string, folderId: string): number | null {
    const where = this.whose(actor, folderId);
    return where === 'own' ? null : where === 'other' ? 3004 : 3005;
  }

  updateItem(actor: string, id: string, success: 13000 | 13001): Prediction {
    const item = this.ownLiveItem(actor, id);
    return exactly(typeof item === 'number' ? item : success);
  }

  moveItem(actor: string, id: string, folderId: string): Prediction {
    const item = this.ownLiveItem(actor, id);
    if (typeof item === 'number') return exactly(item);
    const refused = this.destination(actor, folderId);
    if (refused !== null) return exactly(refused);
    if (item.folder === folderId) return exactly(3003);
    return exactly(13002, () => {
      item.folder = folderId;
    });
  }

  copyItem(actor: string, id: string, folderId: string): Prediction {
    const item = this.ownLiveItem(actor, id);
    if (typeof item === 'number') return exactly(item);
    const refused = this.destination(actor, folderId);
    if (refused !== null) return exactly(refused);
    if (item.folder === folderId) return exactly(3003);
    return exactly(13003, (result) => {
      const copyId = result.item_id as string;
      this.items.set(copyId, { ...item, id: copyId, folder: folderId, status: 'live', fromFolder: null });
    });
  }

  /** Live snapshots of that frame of that clip in that folder, oldest first (copies of snapshots count). */
  private snapshotsIn(clip: string, identifier: string, folderId: string): string[] {
    return [...this.items.values()]
      .filter(
        (i) =>
          i.snapshotOf?.clip === clip &&
          i.snapshotOf.identifier === identifier &&
          i.status === 'live' &&
          i.folder === folderId,
      )
      .map((i) => i.id);
  }

  saveSnapshot(
    actor: string,
    id: string,
    folderId: string,
    identifier: string,
  ): Prediction & { readonly existing: readonly string[] } {
    const none = { existing: [] };
    const item = this.ownLiveItem(actor, id);
    if (typeof item === 'number') return { ...exactly(item), ...none };
    const refused = this.destination(actor, folderId);
    if (refused !== null) return { ...exactly(refused), ...none };
    if (item.kind === 'snapshot') return { ...exactly(3006), ...none };
    if (!item.frames.includes(identifier)) return { ...exactly(3007), ...none };
    const existing = this.snapshotsIn(item.id, identifier, folderId);
    if (existing.length > 0) return { ...exactly(13201), existing };
    return {
      ...exactly(13200, (result) => {
        const snapshotId = result.item_id as string;
        this.items.set(snapshotId, {
          id: snapshotId,
          owner: item.owner,
          camera: item.camera,
          kind: 'snapshot',
          frames: [identifier],
          snapshotOf: { clip: item.id, identifier },
          folder: folderId,
          status: 'live',
          trashedAt: 0,
          fromFolder: null,
        });
      }),
      ...none,
    };
  }

  deleteItem(actor: string, id: string): Prediction {
    const item = this.ownItem(actor, id);
    if (typeof item === 'number') return exactly(item);
    if (item.status === 'trashed')
      return exactly(13100, () => {
        item.status = 'purged';
      });
    return exactly(13101, () => {
      item.status = 'trashed';
      item.trashedAt = this.now;
      item.fromFolder = item.folder;
      item.folder = null;
    });
  }

  restoreItem(actor: string, id: string): Prediction {
    const item = this.ownItem(actor, id);
    if (typeof item === 'number') return exactly(item);
    if (item.status !== 'trashed') return exactly(3000);
    if (this.now >= item.trashedAt + this.retentionMs) return exactly(3008);
    return exactly(10000, () => {
      item.status = 'live';
      item.folder = this.liveFolder(item.fromFolder) ? item.fromFolder : null;
      item.fromFolder = null;
    });
  }

  // --- network ---------------------------------------------------------------

  liveNetwork(id: string): Network | undefined {
    const network = this.networks.get(id);
    return network && !network.deleted ? network : undefined;
  }

  /** 5000 (not there), 5001 (hidden from a non-member): where every network command starts. */
  private seen(actor: string, id: string): number | Network {
    const network = this.liveNetwork(id);
    if (!network) return 5000;
    if (network.type === 'hidden' && !network.members.has(actor)) return 5001;
    return network;
  }

  private owned(actor: string, id: string): number | Network {
    const network = this.seen(actor, id);
    if (typeof network === 'number') return network;
    return network.owner === actor ? network : 5003;
  }

  /** The cameras a user brings: 5401, 5410, 5411, 5412, 5413 in the contract's order; else the distinct ids. */
  private cameraCheck(
    actor: string,
    cameras: readonly string[] | undefined,
    required: boolean,
  ): number | string[] {
    if (cameras === undefined) return required ? 5401 : [];
    if (cameras.length === 0) return 5410;
    if (cameras.some((c) => !/^cam_[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(c))) return 5411;
    const distinct = [...new Set(cameras)];
    if (distinct.some((c) => !this.liveCamera(c))) return 5412;
    if (distinct.some((c) => this.liveCamera(c)?.owner !== actor)) return 5413;
    return distinct;
  }

  createNetwork(
    actor: string,
    id: string,
    name: string,
    type: string,
    requiresCameras: boolean,
    description: string,
  ): Prediction {
    if (type !== 'public' && type !== 'private' && type !== 'hidden') return exactly(5004);
    const existing = this.networks.get(id);
    if (existing) {
      const repeat =
        !existing.deleted &&
        existing.owner === actor &&
        existing.name === shownName(name) &&
        existing.type === type &&
        existing.requiresCameras === requiresCameras &&
        existing.description === description;
      return exactly(repeat ? 10000 : 128);
    }
    return exactly(10000, () =>
      this.networks.set(id, {
        id,
        owner: actor,
        name: shownName(name),
        type,
        requiresCameras,
        description,
        deleted: false,
        members: new Map([[actor, []]]),
        requests: new Map(),
      }),
    );
  }

  updateNetwork(
    actor: string,
    id: string,
    changes: { name?: string; type?: string; requiresCameras?: boolean },
  ): Prediction {
    const network = this.owned(actor, id);
    if (typeof network === 'number') return exactly(network);
    const { name, type, requiresCameras } = changes;
    if (type !== undefined && type !== 'public' && type !== 'private' && type !== 'hidden')
      return exactly(5004);
    if (name === undefined && type === undefined && requiresCameras === undefined) return exactly(5005);
    return exactly(15400, () => {
      if (name !== undefined) network.name = shownName(name);
      if (type !== undefined) network.type = type as NetworkType;
      if (requiresCameras !== undefined) network.requiresCameras = requiresCameras;
    });
  }

  deleteNetwork(actor: string, id: string): Prediction {
    const network = this.owned(actor, id);
    if (typeof network === 'number') return exactly(network);
    return exactly(15200, () => {
      network.deleted = true;
    });
  }

  private admit(network: Network, user: string, cameras: readonly string[]): void {
    network.members.set(user, cameras);
    network.requests.delete(user);
  }

  join(actor: string, id: string, cameras: readonly string[] | undefined): Prediction {
    const network = this.seen(actor, id);
    if (typeof network === 'number') return exactly(network);
    if (network.type !== 'public') return exactly(5400);
    if (network.members.has(actor)) return exactly(5402);
    const brought = this.cameraCheck(actor, cameras, network.requiresCameras);
    if (typeof brought === 'number') return exactly(brought);
    return exactly(15105, () => this.admit(network, actor, brought));
  }

  requestJoin(actor: string, id: string, cameras: readonly string[] | undefined): Prediction {
    const network = this.seen(actor, id);
    if (typeof network === 'number') return exactly(network);
    if (network.members.has(actor)) return exactly(5402);
    const brought = this.cameraCheck(actor, cameras, network.requiresCameras);
    if (typeof brought === 'number') return exactly(brought);
    return exactly(10000, () => network.requests.set(actor, brought));
  }

  approve(actor: string, id: string, user: string): Prediction {
    const network = this.owned(actor, id);
    if (typeof network === 'number') return exactly(network);
    const request = network.requests.get(user);
    if (request) return exactly(15300, () => this.admit(network, user, request));
    // Approving someone who is in by now is the approval done: nothing to refuse.
    return exactly(network.members.has(user) ? 15300 : 5100);
  }

  decline(actor: string, id: string, user: string): Prediction {
    const network = this.owned(actor, id);
    if (typeof network === 'number') return exactly(network);
    if (!network.requests.has(user)) return exactly(5100);
    return exactly(15301, () => network.requests.delete(user));
  }

  private pendingInvitation(network: string, user: string): Invitation | undefined {
    for (const invitation of this.invitations.values())
      if (invitation.network === network && invitation.user === user && invitation.status === 'pending')
        return invitation;
    return undefined;
  }

  invite(actor: string, id: string, username: string): Prediction & { readonly pending?: string } {
    const network = this.seen(actor, id);
    if (typeof network === 'number') return exactly(network);
    if (!network.members.has(actor)) return exactly(5002);
    const invitee = this.userByName(username);
    if (!invitee) return exactly(5101);
    if (network.members.has(invitee.id)) return exactly(5402);
    const pending = this.pendingInvitation(id, invitee.id);
    if (pending) return { ...exactly(15102), pending: pending.id };
    return exactly(15102, (result) => {
      const invitationId = result.invitation_id as string;
      this.invitations.set(invitationId, {
        id: invitationId,
        network: id,
        user: invitee.id,
        status: 'pending',
      });
    });
  }

  acceptInvitation(actor: string, invitationId: string, cameras: readonly string[] | undefined): Prediction {
    const invitation = this.invitations.get(invitationId);
    // Another user's invitation is as unknown as one that never was.
    if (!invitation || invitation.user !== actor) return exactly(5100);
    const network = this.liveNetwork(invitation.network);
    if (!network) return exactly(5000);
    if (invitation.status !== 'pending') return exactly(5100);
    if (network.members.has(actor)) return exactly(5402);
    const brought = this.cameraCheck(actor, cameras, network.requiresCameras);
    if (typeof brought === 'number') return exactly(brought);
    return exactly(15100, () => {
      this.admit(network, actor, brought);
      invitation.status = 'accepted';
    });
  }

  leave(actor: string, id: string): Prediction {
    const network = this.seen(actor, id);
    if (typeof network === 'number') return exactly(network);
    if (!network.members.has(actor)) return exactly(5002);
    // The owner cannot leave (a project decision: deleting is how an owner ends a network).
    if (network.owner === actor) return exactly(128);
    return exactly(15104, () => network.members.delete(actor));
  }

  removeMember(actor: string, id: string, username: string): Prediction {
    const network = this.owned(actor, id);
    if (typeof network === 'number') return exactly(network);
    const member = this.userByName(username);
    if (!member) return exactly(5101);
    if (!network.members.has(member.id)) return exactly(5102);
    if (member.id === network.owner) return exactly(128);
    return exactly(15103, () => {
      network.members.delete(member.id);
      for (const invitation of this.invitations.values())
        if (invitation.network === id && invitation.user === member.id && invitation.status === 'pending')
          invitation.status = 'revoked';
    });
  }

  // --- forum and private messages --------------------------------------------

  startThread(actor: string, networkId: string, subject: string | undefined): Prediction {
    if (subject === undefined) return exactly(128);
    const network = this.seen(actor, networkId);
    if (typeof network === 'number') return exactly(network);
    if (!network.members.has(actor)) return exactly(5002);
    return exactly(15501, (result) =>
      this.forumThreads.set(result.thread_id as string, { network: networkId }),
    );
  }

  replyInForum(actor: string, threadId: string): Prediction {
    const thread = this.forumThreads.get(threadId);
    if (!thread) return exactly(5200);
    const network = this.seen(actor, thread.network);
    if (typeof network === 'number') return exactly(network);
    return exactly(network.members.has(actor) ? 15500 : 5002);
  }

  send(actor: string, toUsername: string): Prediction {
    const recipient = this.userByName(toUsername);
    if (recipient?.id === actor) return exactly(6200);
    if (!recipient) return exactly(6201);
    return exactly(16600, (result) =>
      this.privateThreads.set(result.thread_id as string, { participants: [actor, recipient.id] }),
    );
  }

  replyPrivately(actor: string, threadId: string): Prediction {
    const thread = this.privateThreads.get(threadId);
    if (!thread) return exactly(6000);
    return exactly(thread.participants.includes(actor) ? 16500 : 6101);
  }
}
