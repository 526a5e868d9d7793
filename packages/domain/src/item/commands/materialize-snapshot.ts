import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import { readItem } from '../access.ts';
import type { SnapshotItemCreated } from '../events.ts';

export const materializeSnapshotPayload = z.object({ item_id: param.ref(), clip_id: param.ref() });
export type MaterializeSnapshotPayload = z.infer<typeof materializeSnapshotPayload>;

/**
 * item.materialize_snapshot (internal, the follow-up of SnapshotTaken):
 * writes the snapshot's own stream from what the clip recorded. A repeat
 * finds the stream written and accepts without an event.
 */
export const materializeSnapshot = defineCommand({
  name: 'item.materialize_snapshot',
  internal: true,
  followUpOnly: true,
  payload: materializeSnapshotPayload,
  load: async (payload, _ctx, reader) => ({
    snapshot: await readItem(reader, payload.item_id),
    clip: await readItem(reader, payload.clip_id),
  }),
  decide: (payload, { snapshot, clip }) => {
    if (snapshot.revision >= 0) return acceptUnchanged('Ok', { item_id: payload.item_id });
    // Taken from the clip's own record, not from the payload: the clip is the source of truth.
    const link = clip.state.snapshots.find((s) => s.snapshotItemId === payload.item_id);
    const frame = link && clip.state.frames.find((f) => f.identifier === link.identifier);
    if (!link || !frame || clip.state.ownerId === null)
      return reject('ItemNotFound', { item_id: payload.item_id, clip_id: payload.clip_id });
    const created: SnapshotItemCreated = {
      type: 'SnapshotItemCreated',
      data: {
        itemId: payload.item_id,
        clipItemId: clip.state.itemId,
        identifier: link.identifier,
        ownerId: clip.state.ownerId,
        cameraId: clip.state.cameraId,
        folderId: link.folderId,
        isAlert: clip.state.isAlert,
        frame,
      },
    };
    return accept('Ok', snapshot, [created], { item_id: payload.item_id });
  },
});
