import type { EdgeCredentials, EdgeCredentialsRequest } from '@camledger/domain';
import type { Sql } from '../store/port.ts';

// The edge's internal look-up (docs/edge.md): a consumer and, when asked, a
// token, in one round trip. Rows are answered as stored, secrets sealed; the
// edge opens them. `user_registered` is read here so a token whose user has
// no account is refused (8) without a second question.

export async function lookupEdgeCredentials(
  db: Sql,
  request: EdgeCredentialsRequest,
): Promise<EdgeCredentials> {
  const [consumer] = await db.query<{ secret: string; active: boolean }>(
    'SELECT secret, active FROM edge_consumers WHERE consumer_key = $1',
    [request.consumer_key],
  );
  const [token] = request.token
    ? await db.query<{
        secret: string;
        consumer_key: string;
        user_id: string;
        active: boolean;
        user_registered: boolean;
      }>(
        `SELECT t.secret, t.consumer_key, t.user_id, t.active,
                EXISTS (SELECT 1 FROM accounts a WHERE a.user_id = t.user_id) AS user_registered
           FROM edge_tokens t WHERE t.token = $1`,
        [request.token],
      )
    : [];
  return { consumer: consumer ?? null, token: token ?? null };
}
