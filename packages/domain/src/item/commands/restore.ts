import { z } from 'zod';
import { liveFolder } from '../../folder/index.ts';
import { accept, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import { checkOwnItem, loadItem, presence } from '../access.ts';
import type { ItemRestored } from '../events.ts';
import { trashWindowEndsAt } from '../state.ts';

export const restorePayload = z.object({ item_id: param.ref() });
export type RestorePayload = z.infer<typeof restorePayload>;

/**
 * item.restore: takes an item out of the trash while the window is open
 * (`now < trashedAt + retention`, to the millisecond), back into the folder
 * it left, or the inbox when that folder is gone by now.
 */
export const restore = defineCommand({
  name: 'item.restore',
  internal: false,
  payload: restorePayload,
  load: async (payload, _ctx, reader) => loadItem(reader, payload.item_id),
  decide: (_payload, loaded, ctx) => {
    const refused = checkOwnItem(loaded, ctx);
    if (refused) return refused;
    const { state } = loaded.item;
    if (presence(loaded) !== 'trashed' || state.trash === null)
      return reject('ItemNotFound', { item_id: state.itemId, reason: 'not in the trash' });
    const windowEndsAt = trashWindowEndsAt(state.trash.trashedAt, ctx.config.trashRetentionMs);
    if (ctx.now.getTime() >= windowEndsAt)
      return reject('TrashWindowClosed', {
        item_id: state.itemId,
        trashed_at: state.trash.trashedAt,
        restorable_until: new Date(windowEndsAt).toISOString(),
      });
    const from = state.trash.fromFolderId;
    const backTo = from !== null && liveFolder(loaded.ownerTree, from) !== undefined ? from : null;
    const restored: ItemRestored = {
      type: 'ItemRestored',
      data: { itemId: state.itemId, toFolderId: backTo },
    };
    return accept('Ok', loaded.item, [restored], { item_id: state.itemId });
  },
});
