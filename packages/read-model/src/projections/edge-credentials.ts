import { dataOf, type Handlers } from './projected-event.ts';

// edge_consumers, edge_tokens: what the edge must know to verify a signed
// request. Secrets are copied sealed, as the events hold them.

// The data of the auth slice's events (packages/domain/src/auth/events.ts,
// whose types the domain's index does not export).
interface ConsumerAdded {
  readonly consumerKey: string;
  readonly name: string;
  readonly secret: string;
}
interface TokenIssued {
  readonly token: string;
  readonly consumerKey: string;
  readonly userId: string;
  readonly secret: string;
}

export const edgeCredentialHandlers: Handlers = {
  async ConsumerAdded(tx, event) {
    const { consumerKey, name, secret } = dataOf<ConsumerAdded>(event);
    await tx.query(
      `INSERT INTO edge_consumers (consumer_key, name, secret, active)
       VALUES ($1, $2, $3, true) ON CONFLICT (consumer_key) DO NOTHING`,
      [consumerKey, name, secret],
    );
  },
  async ConsumerRemoved(tx, event) {
    const { consumerKey } = dataOf<Pick<ConsumerAdded, 'consumerKey'>>(event);
    await tx.query('UPDATE edge_consumers SET active = false WHERE consumer_key = $1', [consumerKey]);
  },
  async TokenIssued(tx, event) {
    const { token, consumerKey, userId, secret } = dataOf<TokenIssued>(event);
    await tx.query(
      `INSERT INTO edge_tokens (token, consumer_key, user_id, secret, active)
       VALUES ($1, $2, $3, $4, true) ON CONFLICT (token) DO NOTHING`,
      [token, consumerKey, userId, secret],
    );
  },
  async TokenRevoked(tx, event) {
    const { token } = dataOf<Pick<TokenIssued, 'token'>>(event);
    await tx.query('UPDATE edge_tokens SET active = false WHERE token = $1', [token]);
  },
};
