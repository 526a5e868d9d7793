import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import { checkOwnLiveItem, loadItem } from '../access.ts';
import type { ItemUpdated } from '../events.ts';

export const updatePayload = z.object({
  item_id: param.ref(),
  label: param.text(0, 64).optional(),
  note: param.text(0, 1024).optional(),
});
export type UpdatePayload = z.infer<typeof updatePayload>;

/**
 * item.update: the owner sets the label and/or the note. Only fields that
 * change are recorded; when nothing changes (or nothing was sent) the answer
 * is still 13000 and nothing is written, so a repeat is harmless.
 */
export const update = defineCommand({
  name: 'item.update',
  internal: false,
  payload: updatePayload,
  load: async (payload, _ctx, reader) => loadItem(reader, payload.item_id),
  decide: (payload, loaded, ctx) => {
    const refused = checkOwnLiveItem(loaded, ctx);
    if (refused) return refused;
    const { state } = loaded.item;
    const changes: { label?: string; note?: string } = {};
    if (payload.label !== undefined && payload.label !== state.label) changes.label = payload.label;
    if (payload.note !== undefined && payload.note !== state.note) changes.note = payload.note;
    if (Object.keys(changes).length === 0) return acceptUnchanged('ItemUpdated');
    const updated: ItemUpdated = { type: 'ItemUpdated', data: { itemId: state.itemId, ...changes } };
    return accept('ItemUpdated', loaded.item, [updated]);
  },
});
