// Checked by `pnpm typecheck`, never run: if the client types loosen (a payload field
// accepting anything, an unknown action compiling), each expected error below
// stops being one and the typecheck fails.

import type { CamledgerClient } from './client.ts';
import type { Outcome } from './outcome.ts';
import type { QueryOutcome } from './query.ts';

export async function clientTypes(client: CamledgerClient): Promise<void> {
  const as = { actor: 'usr_z' };
  // @ts-expect-error a folder name is a string
  await client.folder.create({ name: 1, parent_id: 0 }, as);
  // @ts-expect-error parent_id is required
  await client.folder.create({ name: 'Garden' }, as);
  // @ts-expect-error a user's command runs for someone: the actor is required
  await client.folder.create({ name: 'Garden', parent_id: 0 });
  // An internal command runs as "system" unless told otherwise.
  await client.account.register({ username: 'alice' });
  // @ts-expect-error a follow-up-only command is never served: the client has no method for it
  await client.account.open({ user_id: 'usr_z', username: 'alice', display_name: 'Alice' }, as);
  // @ts-expect-error no such action
  await client.folder.explode({}, as);
  // @ts-expect-error no such object
  await client.garden.create({});
  const outcome: Outcome = await client.item.move(
    { item_id: 'itm_x', folder_id: 'fld_y' },
    { actor: 'usr_z' },
  );
  if (!outcome.ok) {
    // @ts-expect-error codes are literal: 31337 is not one
    const impossible: typeof outcome.code = 31337;
    void impossible;
  }

  const listed: QueryOutcome = await client.query.item.get_list(
    { folder_id: 0, flagged: true, page: 2, qty: 5, min_position: outcome.ok ? 1 : 0, wait_ms: 100 },
    { actor: 'usr_z' },
  );
  if (listed.ok) {
    const position: number = listed.position;
    void position;
  }
  // @ts-expect-error a query answers for someone: the actor is required
  await client.query.account.get({});
  // @ts-expect-error folder_id is required by item.get_list
  await client.query.item.get_list({}, { actor: 'usr_z' });
  // @ts-expect-error qty is a number (or its text, as the domain's parameters accept)
  await client.query.trash.get_list({ qty: true }, { actor: 'usr_z' });
  // @ts-expect-error min_position is a number
  await client.query.account.get({ min_position: 'now' }, { actor: 'usr_z' });
  // @ts-expect-error network.get_list's type is one of the three
  await client.query.network.get_list({ type: 'secret' }, { actor: 'usr_z' });
  // @ts-expect-error no such query
  await client.query.item.delete({ item_id: 'itm_x' }, { actor: 'usr_z' });
}
