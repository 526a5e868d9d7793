import type {
  NetworkCreated,
  NetworkDeleted,
  NetworkInvitationAccepted,
  NetworkInvitationSent,
  NetworkJoined,
  NetworkJoinRequestDeclined,
  NetworkJoinRequested,
  NetworkLeft,
  NetworkUpdated,
} from '@camledger/domain';
import { listOrderKey } from '@camledger/domain';
import type { Sql } from '../store/port.ts';
import { dataOf, type Handlers } from './projected-event.ts';

// networks, their members (with the cameras each brought), pending join
// requests and pending invitations. A deleted network is gone for everyone
// (5000), with its forum (5200): its rows go. Membership follows the domain's
// rule: in by joining, approval or an accepted invitation; out by leaving or
// removal. Joining by any route closes the user's pending request.

async function addMember(
  tx: Sql,
  networkId: string,
  userId: string,
  cameras: readonly string[],
): Promise<void> {
  // Only into a network that still exists: an event decided just before a deletion adds nothing.
  await tx.query(
    `INSERT INTO network_members (network_id, user_id, cameras)
     SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM networks WHERE network_id = $1)
     ON CONFLICT (network_id, user_id) DO UPDATE SET cameras = excluded.cameras`,
    [networkId, userId, JSON.stringify(cameras)],
  );
  await tx.query('DELETE FROM network_requests WHERE network_id = $1 AND user_id = $2', [networkId, userId]);
}

const updatable = {
  name: 'name',
  type: 'type',
  requiresCameras: 'requires_cameras',
  description: 'description',
};

export const networkHandlers: Handlers = {
  async NetworkCreated(tx, event) {
    const d = dataOf<NetworkCreated['data']>(event);
    await tx.query(
      `INSERT INTO networks (network_id, owner_id, name, name_key, type, requires_cameras, description)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (network_id) DO NOTHING`,
      [d.networkId, d.ownerId, d.name, listOrderKey(d.name), d.type, d.requiresCameras, d.description],
    );
    await addMember(tx, d.networkId, d.ownerId, []);
  },
  async NetworkUpdated(tx, event) {
    const { networkId, changes } = dataOf<NetworkUpdated['data']>(event);
    const sets: string[] = [];
    const values: unknown[] = [networkId];
    for (const [field, column] of Object.entries(updatable)) {
      const value = (changes as Record<string, unknown>)[field];
      if (value === undefined) continue;
      values.push(value);
      sets.push(`${column} = $${values.length}`);
      if (field === 'name') {
        values.push(listOrderKey(String(value)));
        sets.push(`name_key = $${values.length}`);
      }
    }
    if (sets.length > 0)
      await tx.query(`UPDATE networks SET ${sets.join(', ')} WHERE network_id = $1`, values);
  },
  async NetworkDeleted(tx, event) {
    const { networkId } = dataOf<NetworkDeleted['data']>(event);
    for (const table of ['network_members', 'network_requests', 'network_invitations', 'networks'])
      await tx.query(`DELETE FROM ${table} WHERE network_id = $1`, [networkId]);
    await tx.query(
      'DELETE FROM forum_posts WHERE thread_id IN (SELECT thread_id FROM forum_threads WHERE network_id = $1)',
      [networkId],
    );
    await tx.query('DELETE FROM forum_threads WHERE network_id = $1', [networkId]);
  },
  async NetworkJoined(tx, event) {
    const d = dataOf<NetworkJoined['data']>(event);
    await addMember(tx, d.networkId, d.userId, d.cameras);
  },
  async NetworkJoinRequested(tx, event) {
    const d = dataOf<NetworkJoinRequested['data']>(event);
    await tx.query(
      `INSERT INTO network_requests (network_id, user_id, cameras, requested_at)
       SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM networks WHERE network_id = $1)
       ON CONFLICT (network_id, user_id) DO UPDATE SET cameras = excluded.cameras, requested_at = excluded.requested_at`,
      [d.networkId, d.userId, JSON.stringify(d.cameras), event.position],
    );
  },
  async NetworkJoinRequestApproved(tx, event) {
    const d = dataOf<NetworkJoined['data']>(event);
    await addMember(tx, d.networkId, d.userId, d.cameras);
  },
  async NetworkJoinRequestDeclined(tx, event) {
    const d = dataOf<NetworkJoinRequestDeclined['data']>(event);
    await tx.query('DELETE FROM network_requests WHERE network_id = $1 AND user_id = $2', [
      d.networkId,
      d.userId,
    ]);
  },
  async NetworkInvitationSent(tx, event) {
    const d = dataOf<NetworkInvitationSent['data']>(event);
    await tx.query(
      `INSERT INTO network_invitations (invitation_id, network_id, user_id)
       SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM networks WHERE network_id = $2)
       ON CONFLICT (invitation_id) DO NOTHING`,
      [d.invitationId, d.networkId, d.userId],
    );
  },
  async NetworkInvitationAccepted(tx, event) {
    const d = dataOf<NetworkInvitationAccepted['data']>(event);
    await tx.query('DELETE FROM network_invitations WHERE invitation_id = $1', [d.invitationId]);
    await addMember(tx, d.networkId, d.userId, d.cameras);
  },
  async NetworkLeft(tx, event) {
    const d = dataOf<NetworkLeft['data']>(event);
    await tx.query('DELETE FROM network_members WHERE network_id = $1 AND user_id = $2', [
      d.networkId,
      d.userId,
    ]);
  },
  async NetworkMemberRemoved(tx, event) {
    const d = dataOf<NetworkLeft['data']>(event);
    await tx.query('DELETE FROM network_members WHERE network_id = $1 AND user_id = $2', [
      d.networkId,
      d.userId,
    ]);
    // Removal revokes the member's pending invitations, so an old one cannot undo it.
    await tx.query('DELETE FROM network_invitations WHERE network_id = $1 AND user_id = $2', [
      d.networkId,
      d.userId,
    ]);
  },
};
