import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, derivedIdTaken, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import { checkDestination, checkOwnLiveItem, loadDestinationFor, loadItem, readItem } from '../access.ts';
import type { ItemCopied } from '../events.ts';

export const copyPayload = z.object({ item_id: param.ref(), folder_id: param.ref() });
export type CopyPayload = z.infer<typeof copyPayload>;

/**
 * item.copy: the owner copies an item into one of their folders. The copy is
 * a new item with its own stream, which is the one this command writes (its
 * first event carries everything the copy is); the source is only read.
 * Answers in the contract's order: 3000, 3002, 3005, 3004, 3003.
 */
export const copy = defineCommand({
  name: 'item.copy',
  internal: false,
  payload: copyPayload,
  load: async (payload, ctx, reader) => {
    const loaded = await loadItem(reader, payload.item_id);
    const destination = await loadDestinationFor(reader, loaded, ctx, payload.folder_id);
    // The worker derives new ids from the command id: after a crash between
    // the append and the reply, the retry finds the copy it already made.
    const copyStream = await readItem(reader, ctx.newId('itm', 'copy'));
    return { ...loaded, destination, copyStream };
  },
  decide: (payload, loaded, ctx) => {
    const refused = checkOwnLiveItem(loaded, ctx) ?? checkDestination(loaded.destination);
    if (refused) return refused;
    const { state } = loaded.item;
    if (state.folderId === payload.folder_id)
      return reject('ItemAlreadyInFolder', { item_id: state.itemId, folder_id: payload.folder_id });
    const copyId = loaded.copyStream.stream.slice('item-'.length);
    // A copy of this very item already there is this command, done before
    // (it may have been moved since); any other item is not this command's.
    if (loaded.copyStream.revision >= 0)
      return loaded.copyStream.state.copiedFromItemId === state.itemId
        ? acceptUnchanged('ItemCopied', { item_id: copyId })
        : derivedIdTaken(ctx.commandId);
    const copied: ItemCopied = {
      type: 'ItemCopied',
      data: {
        itemId: copyId,
        copiedFromItemId: state.itemId,
        ownerId: state.ownerId ?? '',
        cameraId: state.cameraId,
        kind: state.kind,
        folderId: payload.folder_id,
        startDatetime: state.startDatetime,
        endDatetime: state.endDatetime,
        isAlert: state.isAlert,
        frames: state.frames,
        label: state.label,
        note: state.note,
        flagged: state.flagged,
        snapshotOf: state.snapshotOf,
      },
    };
    return accept('ItemCopied', loaded.copyStream, [copied], { item_id: copyId });
  },
});
