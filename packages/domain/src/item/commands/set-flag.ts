import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import { checkOwnLiveItem, loadItem } from '../access.ts';
import type { ItemFlagSet } from '../events.ts';

export const setFlagPayload = z.object({ item_id: param.ref(), flagged: param.flag() });
export type SetFlagPayload = z.infer<typeof setFlagPayload>;

/** item.set_flag: the owner flags or unflags an item; setting the flag it already has writes nothing. */
export const setFlag = defineCommand({
  name: 'item.set_flag',
  internal: false,
  payload: setFlagPayload,
  load: async (payload, _ctx, reader) => loadItem(reader, payload.item_id),
  decide: (payload, loaded, ctx) => {
    const refused = checkOwnLiveItem(loaded, ctx);
    if (refused) return refused;
    const { state } = loaded.item;
    if (state.flagged === payload.flagged) return acceptUnchanged('ItemFlagSet');
    const flagSet: ItemFlagSet = {
      type: 'ItemFlagSet',
      data: { itemId: state.itemId, flagged: payload.flagged },
    };
    return accept('ItemFlagSet', loaded.item, [flagSet]);
  },
});
