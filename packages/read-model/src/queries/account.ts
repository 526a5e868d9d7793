import { queryPayloads } from '@camledger/domain';
import { defineQuery, found } from './query.ts';

/** account.get: the actor's own account (the actor is known to be registered by then). */
export const accountGet = defineQuery({
  name: 'account.get',
  payload: queryPayloads['account.get'],
  async run({ db, actor }) {
    const [row] = await db.query<{ username: string; display_name: string; credits: number }>(
      'SELECT username, display_name, credits FROM accounts WHERE user_id = $1',
      [actor],
    );
    return found({
      user_id: actor,
      username: row?.username ?? null,
      display_name: row?.display_name ?? null,
      credits: row?.credits ?? 0,
    });
  },
});
