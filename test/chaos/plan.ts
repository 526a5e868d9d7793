import { folderNames, frameIds } from '@camledger/testing/model';

// What the chaos test's clients send: a plan drawn from a seed, so a failing
// run can be replayed command for command (the interleaving is up to the
// workers; the plan and the checks are not). Ids come from small pools so
// commands meet each other's things: folder ids a user chooses, some of them
// chosen by every user (one id, many would-be owners), clips from each
// camera, and tricky folder names from the model test (case and spacing that
// make two names the same).
//
// Deliberately left out: commands whose cross-aggregate checks hold only as
// of the load (docs/architecture.md, "Known limits"), where history order
// and decision order may honestly differ: folder.delete (an item may move
// into a folder deleted in the same instant), camera.delete and
// liveview_disconnected (a live view may start as the camera goes), item.copy
// and save_snapshot (the copy is another aggregate than its source). Without
// them every fact a command reads elsewhere only ever becomes true, so
// "decided as of the load" and "valid at its place in the log" agree, and the
// reference model can judge every accepted command at its place in the log.

/** A small, fast, seedable PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Planned {
  /** The command_id, the same on every retry; unique in the run, so it also names the effect (correlationId). */
  readonly id: string;
  readonly name: string;
  /** A user id, or "system" for internal commands. */
  readonly actor: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface Plan {
  /** Users, then their cameras and credits, then the cameras online: waves sent before any chaos. */
  readonly setup: readonly (readonly Planned[])[];
  /**
   * The random mix, sent by many clients side by side while workers and NATS
   * fail. Each entry is sent by one client; most hold one command, a burst
   * holds several sent at the same instant (the races of issue 10: one
   * user's live views, one folder id chosen by several users, crossed moves).
   */
  readonly mix: readonly (readonly Planned[])[];
  readonly users: readonly string[];
}

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A valid id (DOMAIN.md §1): `kind` (0..7) then `n` in Crockford's base 32, so pools never collide. */
const poolId = (prefix: string, kind: number, n: number) => {
  let digits = '';
  for (let v = n; digits === '' || v > 0; v = Math.floor(v / 32)) digits = crockford[v % 32] + digits;
  return `${prefix}_${kind}${digits.padStart(25, '0')}`;
};
/** Usernames allow [a-z0-9_.-]; the run's seed keeps them apart from any other run's. */
const usernameOf = (seed: number, i: number) => `u${i}_${seed.toString(36)}`;

export function makePlan(seed: number, size: number): Plan {
  const random = prng(seed);
  const below = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[below(list.length)] as T;
  let counter = 0;
  const planned = (name: string, actor: string, payload: Record<string, unknown>): Planned => ({
    id: `chaos-${seed.toString(36)}-${(counter++).toString(36)}`,
    name,
    actor,
    payload,
  });

  const userCount = 6 + Math.floor(size / 80);
  const users = Array.from({ length: userCount }, (_, i) => poolId('usr', 0, i));
  const cameraOf = (u: number) => poolId('cam', 0, u);
  const ownFolders = (u: number) => [0, 1, 2, 3].map((k) => poolId('fld', 1, u * 8 + k));
  const sharedFolders = [0, 1, 2].map((k) => poolId('fld', 2, k));
  const itemsOf = (u: number) => [0, 1, 2].map((k) => poolId('itm', 0, u * 8 + k));
  const camera = users.map((_, u) => cameraOf(u));

  const setup: Planned[] = [];
  for (const [u, user] of users.entries()) {
    setup.push(planned('account.register', 'system', { user_id: user, username: usernameOf(seed, u) }));
  }
  const afterRegister: Planned[] = [];
  for (const [u, user] of users.entries()) {
    afterRegister.push(
      planned('camera.register', 'system', {
        camera_id: camera[u],
        owner_id: user,
        label: 'porch',
        live_view_capable: 1,
      }),
      planned('account.add_credits', 'system', { user_id: user, credits: 1 + below(3) }),
    );
  }
  const afterCameras = camera.map((c) => planned('camera.liveview_connected', 'system', { camera_id: c }));

  // Users who join during the run; some only try to take a name already held.
  let newcomers = 0;
  const someone = () => below(users.length);
  /** Mostly a registered user; now and then one who never registered (8). */
  const actorIndex = () => (random() < 0.97 ? someone() : -1);
  const actorOf = (u: number) => (u < 0 ? poolId('usr', 7, 1) : (users[u] as string));
  /** A folder id this user might name: one of their own pool, else one every user may choose. */
  const folderFor = (u: number) => (random() < 0.75 ? pick(ownFolders(Math.max(u, 0))) : pick(sharedFolders));
  const parentFor = (u: number): string | 0 => (random() < 0.45 ? 0 : folderFor(u));

  const kinds: [number, () => Planned][] = [
    [2, () => planned('account.add_credits', 'system', { user_id: pick(users), credits: 1 + below(3) })],
    [
      4,
      () => {
        const u = actorIndex();
        // Mostly one's own camera; sometimes another's (2001).
        const c = u >= 0 && random() < 0.9 ? camera[u] : pick(camera);
        return planned('camera.start_liveview', actorOf(u), { camera_id: c });
      },
    ],
    [
      1,
      () => {
        const id = poolId('usr', 1, newcomers++);
        // Half of them ask for a name someone holds already, in capitals (7000).
        const username =
          random() < 0.5 ? usernameOf(seed, someone()).toUpperCase() : `n${newcomers}_${seed.toString(36)}`;
        return planned('account.register', 'system', { user_id: id, username });
      },
    ],
    [
      5,
      () => {
        const u = actorIndex();
        const chosen = random() < 0.8 ? { folder_id: folderFor(u) } : {};
        return planned('folder.create', actorOf(u), {
          ...chosen,
          name: pick(folderNames),
          parent_id: parentFor(u),
        });
      },
    ],
    [
      2,
      () => {
        const u = actorIndex();
        return planned('folder.rename', actorOf(u), { folder_id: folderFor(u), name: pick(folderNames) });
      },
    ],
    [
      2,
      () => {
        const u = actorIndex();
        return planned('folder.move', actorOf(u), { folder_id: folderFor(u), parent_id: parentFor(u) });
      },
    ],
    [
      3,
      () => {
        const u = someone();
        const frames = frameIds.slice(0, 1 + below(frameIds.length));
        return planned('item.record', 'system', {
          item_id: pick(itemsOf(u)),
          camera_id: camera[u],
          start_datetime: '2026-01-01 10:00:00',
          end_datetime: '2026-01-01 10:00:05',
          is_alert: 0,
          frames: frames.map((identifier, i) => ({ identifier, datetime: `2026-01-01 10:00:0${i}` })),
        });
      },
    ],
    ...(['item.move', 'item.delete', 'item.restore'] as const).map((name): [number, () => Planned] => [
      name === 'item.move' ? 3 : 2,
      () => {
        const owner = someone();
        // Mostly the owner of the clip; sometimes someone else (3002).
        const u = random() < 0.9 ? owner : actorIndex();
        const item = pick(itemsOf(owner));
        const payload = name === 'item.move' ? { item_id: item, folder_id: folderFor(u) } : { item_id: item };
        return planned(name, actorOf(u), payload);
      },
    ]),
  ];
  const bursts: [number, () => Planned[]][] = [
    [
      1,
      () => {
        const u = someone();
        return Array.from({ length: 3 + below(4) }, () =>
          planned('camera.start_liveview', actorOf(u), { camera_id: camera[u] }),
        );
      },
    ],
    [
      1,
      () => {
        const id = pick(sharedFolders);
        const first = someone();
        const second = (first + 1 + below(users.length - 1)) % users.length;
        return [first, second].map((u) =>
          planned('folder.create', actorOf(u), { folder_id: id, name: pick(folderNames), parent_id: 0 }),
        );
      },
    ],
    [
      1,
      () => {
        const u = someone();
        const [a, b] = [pick(ownFolders(u)), pick(ownFolders(u))];
        return [
          planned('folder.move', actorOf(u), { folder_id: a, parent_id: b }),
          planned('folder.move', actorOf(u), { folder_id: b, parent_id: a }),
        ];
      },
    ],
  ];
  const entries: [number, () => Planned[]][] = [
    ...kinds.map(([weight, make]): [number, () => Planned[]] => [weight, () => [make()]]),
    ...bursts,
  ];
  const total = entries.reduce((n, [w]) => n + w, 0);
  const mix: Planned[][] = [];
  for (let sent = 0; sent < size; ) {
    let r = below(total);
    for (const [weight, make] of entries) {
      if (r < weight) {
        const group = make();
        mix.push(group);
        sent += group.length;
        break;
      }
      r -= weight;
    }
  }
  return { setup: [setup, afterRegister, afterCameras], mix, users };
}
