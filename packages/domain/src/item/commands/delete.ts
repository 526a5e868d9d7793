import { z } from 'zod';
import { accept, defineCommand } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import { checkOwnItem, loadItem, presence } from '../access.ts';
import type { ItemPurged, ItemTrashed } from '../events.ts';

export const deletePayload = z.object({ item_id: param.ref() });
export type DeletePayload = z.infer<typeof deletePayload>;

/**
 * item.delete: the first delete throws the item into the trash (13101),
 * where it leaves its folder but remembers it; deleting it from the trash
 * removes it for good (13100).
 */
export const deleteItem = defineCommand({
  name: 'item.delete',
  internal: false,
  payload: deletePayload,
  load: async (payload, _ctx, reader) => loadItem(reader, payload.item_id),
  decide: (_payload, loaded, ctx) => {
    const refused = checkOwnItem(loaded, ctx);
    if (refused) return refused;
    const { state } = loaded.item;
    if (presence(loaded) === 'trashed') {
      const purged: ItemPurged = { type: 'ItemPurged', data: { itemId: state.itemId } };
      return accept('ItemDeletedForGood', loaded.item, [purged]);
    }
    const trashed: ItemTrashed = {
      type: 'ItemTrashed',
      data: { itemId: state.itemId, trashedAt: ctx.now.toISOString(), fromFolderId: state.folderId },
    };
    return accept('ItemMovedToTrash', loaded.item, [trashed]);
  },
});
