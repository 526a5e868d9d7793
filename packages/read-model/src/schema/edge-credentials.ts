import type { Migration } from './migrations.ts';

// The consumers and tokens of the HTTP edge (DOMAIN.md §6), as the edge asks
// for them on `<prefix>.edge.credentials`. `secret` is the sealed `v1.…`
// value exactly as the event carries it: the read store never holds a secret
// in clear, and only holders of CAMLEDGER_SECRETS_KEY (the edge) open it.
// Removed consumers and revoked tokens keep their row, inactive, so the edge
// can tell "revoked" (8) from "unknown".
export const edgeCredentialsMigration: Migration = {
  id: 2,
  name: 'consumers and tokens of the HTTP edge',
  sql: `
CREATE TABLE edge_consumers (
  consumer_key text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  secret text NOT NULL,
  active boolean NOT NULL
);

CREATE TABLE edge_tokens (
  token text COLLATE "C" PRIMARY KEY,
  consumer_key text COLLATE "C" NOT NULL,
  user_id text COLLATE "C" NOT NULL,
  secret text NOT NULL,
  active boolean NOT NULL
);
`,
};
