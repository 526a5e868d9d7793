import { z } from 'zod';
import { accept, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import { checkDestination, checkOwnLiveItem, loadDestinationFor, loadItem } from '../access.ts';
import type { ItemMoved } from '../events.ts';

export const movePayload = z.object({ item_id: param.ref(), folder_id: param.ref() });
export type MovePayload = z.infer<typeof movePayload>;

/**
 * item.move: the owner files an item into one of their folders. Answers in
 * the contract's order: 3000, 3002, 3005, 3004, 3003.
 */
export const move = defineCommand({
  name: 'item.move',
  internal: false,
  payload: movePayload,
  load: async (payload, ctx, reader) => {
    const loaded = await loadItem(reader, payload.item_id);
    return { ...loaded, destination: await loadDestinationFor(reader, loaded, ctx, payload.folder_id) };
  },
  decide: (payload, loaded, ctx) => {
    const refused = checkOwnLiveItem(loaded, ctx) ?? checkDestination(loaded.destination);
    if (refused) return refused;
    const { state } = loaded.item;
    if (state.folderId === payload.folder_id)
      return reject('ItemAlreadyInFolder', { item_id: state.itemId, folder_id: payload.folder_id });
    const moved: ItemMoved = {
      type: 'ItemMoved',
      data: { itemId: state.itemId, fromFolderId: state.folderId, toFolderId: payload.folder_id },
    };
    return accept('ItemMoved', loaded.item, [moved]);
  },
});
