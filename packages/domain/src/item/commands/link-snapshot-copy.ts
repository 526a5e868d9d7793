import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import { readItem } from '../access.ts';
import type { SnapshotCopyLinked } from '../events.ts';

export const linkSnapshotCopyPayload = z.object({ item_id: param.ref(), snapshot_item_id: param.ref() });
export type LinkSnapshotCopyPayload = z.infer<typeof linkSnapshotCopyPayload>;

/**
 * item.link_snapshot_copy (internal, the follow-up of ItemCopied for a
 * snapshot): tells the clip (item_id) that a copy of one of its snapshots
 * exists, so save_snapshot into the copy's folder answers 13201 with it
 * rather than making a second snapshot of the same frame there. A repeat
 * finds the link and accepts without an event.
 */
export const linkSnapshotCopy = defineCommand({
  name: 'item.link_snapshot_copy',
  internal: true,
  followUpOnly: true,
  payload: linkSnapshotCopyPayload,
  load: async (payload, _ctx, reader) => ({
    clip: await readItem(reader, payload.item_id),
    copy: await readItem(reader, payload.snapshot_item_id),
  }),
  decide: (payload, { clip, copy }) => {
    const source = copy.state.snapshotOf;
    if (clip.revision < 0 || copy.revision < 0 || source?.clipItemId !== payload.item_id)
      return reject('ItemNotFound', { item_id: payload.item_id, snapshot_item_id: payload.snapshot_item_id });
    if (clip.state.snapshots.some((s) => s.snapshotItemId === payload.snapshot_item_id))
      return acceptUnchanged('Ok');
    const linked: SnapshotCopyLinked = {
      type: 'SnapshotCopyLinked',
      data: {
        itemId: payload.item_id,
        snapshotItemId: payload.snapshot_item_id,
        // Where the copy was made; only consulted while its stream is unwritten, which never
        // happens for a copy, so it is for the record.
        folderId: copy.state.folderId ?? '',
        identifier: source.identifier,
      },
    };
    return accept('Ok', clip, [linked]);
  },
});
