// Checked by `pnpm typecheck`, never run: if the client types loosen (a payload field
// accepting anything, an unknown action compiling), each expected error below
// stops being one and the typecheck fails.

import type { CamledgerClient } from './client.ts';
import type { Outcome } from './outcome.ts';

export async function clientTypes(client: CamledgerClient): Promise<void> {
  // @ts-expect-error a folder name is a string
  await client.folder.create({ name: 1, parent_id: 0 });
  // @ts-expect-error parent_id is required
  await client.folder.create({ name: 'Garden' });
  // @ts-expect-error no such action
  await client.folder.explode({});
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
}
