import { queryPayloads, type Rejected } from '@camledger/domain';
import type { Sql } from '../store/port.ts';
import { listPage, pageOf } from './paging.ts';
import { defineQuery, found, person, refused } from './query.ts';

// Networks as the actor may see them: public and private ones to everyone,
// hidden ones to their members (and, in network.get, to a user holding a
// pending invitation); to anyone else a hidden network is 5001, also where
// an owner-only query would say 5003 (as the network commands do, so a
// stranger never learns a hidden network exists).

export interface NetworkRow {
  readonly network_id: string;
  readonly owner_id: string;
  readonly owner_username: string | null;
  readonly name: string;
  readonly type: 'public' | 'private' | 'hidden';
  readonly requires_cameras: boolean;
  readonly description: string;
  readonly member_count: number;
  readonly is_member: boolean;
  readonly request_pending: boolean;
  readonly invitation_id: string | null;
}

/** Every network with what the actor ($1) needs to know of it. */
const networkView = `SELECT n.network_id, n.owner_id, a.username AS owner_username, n.name, n.type,
    n.requires_cameras, n.description,
    (SELECT count(*) FROM network_members m WHERE m.network_id = n.network_id) AS member_count,
    EXISTS (SELECT 1 FROM network_members m WHERE m.network_id = n.network_id AND m.user_id = $1) AS is_member,
    EXISTS (SELECT 1 FROM network_requests r WHERE r.network_id = n.network_id AND r.user_id = $1) AS request_pending,
    (SELECT min(i.invitation_id) FROM network_invitations i
      WHERE i.network_id = n.network_id AND i.user_id = $1) AS invitation_id
  FROM networks n LEFT JOIN accounts a ON a.user_id = n.owner_id`;

const shown = (n: NetworkRow) => ({
  network_id: n.network_id,
  name: n.name,
  type: n.type,
  description: n.description,
  requires_cameras: n.requires_cameras,
  owner: person(n.owner_id, n.owner_username),
  member_count: Number(n.member_count),
  is_member: n.is_member,
  request_pending: n.request_pending,
  invitation_id: n.invitation_id,
});

export const isRejected = (value: object): value is Rejected => (value as { ok?: unknown }).ok === false;

/** The network, or 5000 (gone, never existed) / 5001 (hidden from this actor). */
export async function visibleNetwork(
  db: Sql,
  actor: string,
  network_id: string,
  options: { invitationShows?: boolean } = {},
): Promise<NetworkRow | Rejected> {
  const [row] = await db.query<NetworkRow>(`${networkView} WHERE n.network_id = $2`, [actor, network_id]);
  if (!row) return refused('NetworkNotFound', { network_id });
  const invited = options.invitationShows === true && row.invitation_id !== null;
  if (row.type === 'hidden' && !row.is_member && !invited) return refused('NetworkHidden', { network_id });
  return row;
}

export const networkGet = defineQuery({
  name: 'network.get',
  payload: queryPayloads['network.get'],
  async run({ db, actor }, { network_id }) {
    const network = await visibleNetwork(db, actor, network_id, { invitationShows: true });
    return isRejected(network) ? network : found(shown(network));
  },
});

export const networkGetList = defineQuery({
  name: 'network.get_list',
  payload: queryPayloads['network.get_list'],
  async run({ db, actor }, p) {
    const params: unknown[] = [actor];
    const where = [`(v.type <> 'hidden' OR v.is_member)`];
    if (p.member !== undefined) where.push(p.member ? 'v.is_member' : 'NOT v.is_member');
    if (p.type !== undefined) {
      params.push(p.type);
      where.push(`v.type = $${params.length}`);
    }
    const view = `(${networkView}) v`;
    const filter = where.join(' AND ');
    return found(
      await listPage<NetworkRow & { name_key: string }>(
        db,
        'networks',
        pageOf(p),
        {
          select: `SELECT v.* FROM ${view} JOIN networks k ON k.network_id = v.network_id WHERE ${filter}
            ORDER BY k.name_key, v.network_id`,
          count: `SELECT count(*) AS total FROM ${view} WHERE ${filter}`,
          params,
        },
        shown,
      ),
    );
  },
});

interface PersonWithCameras {
  readonly user_id: string;
  readonly username: string | null;
  readonly cameras: string;
}
const withCameras = (m: PersonWithCameras) => ({
  ...person(m.user_id, m.username),
  cameras: JSON.parse(m.cameras) as string[],
});

export const networkGetMembers = defineQuery({
  name: 'network.get_members',
  payload: queryPayloads['network.get_members'],
  async run({ db, actor }, p) {
    const network = await visibleNetwork(db, actor, p.network_id);
    if (isRejected(network)) return network;
    if (!network.is_member) return refused('NotNetworkMember', { network_id: p.network_id });
    return found(
      await listPage<PersonWithCameras>(
        db,
        'members',
        pageOf(p),
        {
          select: `SELECT m.user_id, a.username, m.cameras FROM network_members m
            LEFT JOIN accounts a ON a.user_id = m.user_id
            WHERE m.network_id = $1
            ORDER BY (m.user_id = $2) DESC, a.username_key, m.user_id`,
          count:
            'SELECT count(*) AS total FROM network_members WHERE network_id = $1 AND $2::text IS NOT NULL',
          params: [p.network_id, network.owner_id],
        },
        withCameras,
      ),
    );
  },
});

export const networkGetRequests = defineQuery({
  name: 'network.get_requests',
  payload: queryPayloads['network.get_requests'],
  async run({ db, actor }, p) {
    const network = await visibleNetwork(db, actor, p.network_id);
    if (isRejected(network)) return network;
    if (network.owner_id !== actor) return refused('NotNetworkOwner', { network_id: p.network_id });
    return found(
      await listPage<PersonWithCameras>(
        db,
        'requests',
        pageOf(p),
        {
          select: `SELECT r.user_id, a.username, r.cameras FROM network_requests r
            LEFT JOIN accounts a ON a.user_id = r.user_id
            WHERE r.network_id = $1 ORDER BY r.requested_at, r.user_id`,
          count: 'SELECT count(*) AS total FROM network_requests WHERE network_id = $1',
          params: [p.network_id],
        },
        withCameras,
      ),
    );
  },
});
