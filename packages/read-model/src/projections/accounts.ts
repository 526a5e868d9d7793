import {
  type AccountRegistered,
  type CreditsAdded,
  type LiveViewStarted,
  normalizeUsername,
} from '@camledger/domain';
import { dataOf, type Handlers, type ProjectedEvent } from './projected-event.ts';

// accounts: who is a registered user (the query server's code 8), their
// username (shown beside members, authors and correspondents) and credits.

/** CreditsAdded and LiveViewStarted name the user only through their stream, `account-<userId>`. */
const accountOf = (event: ProjectedEvent) => event.stream.slice('account-'.length);

export const accountHandlers: Handlers = {
  async AccountRegistered(tx, event) {
    const { userId, username, displayName } = dataOf<AccountRegistered['data']>(event);
    await tx.query(
      `INSERT INTO accounts (user_id, username, username_key, display_name, credits)
       VALUES ($1, $2, $3, $4, 0) ON CONFLICT (user_id) DO NOTHING`,
      [userId, username, normalizeUsername(username), displayName],
    );
  },
  async CreditsAdded(tx, event) {
    const { credits } = dataOf<CreditsAdded['data']>(event);
    await tx.query('UPDATE accounts SET credits = credits + $2 WHERE user_id = $1', [
      accountOf(event),
      credits,
    ]);
  },
  async LiveViewStarted(tx, event) {
    const { credits } = dataOf<LiveViewStarted['data']>(event);
    await tx.query('UPDATE accounts SET credits = credits - $2 WHERE user_id = $1', [
      accountOf(event),
      credits,
    ]);
  },
};
