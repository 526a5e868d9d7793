import { z } from 'zod';
import type { Loaded } from '../../kernel/index.ts';
import { accept, acceptUnchanged, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import { checkDestination, checkOwnLiveItem, loadDestinationFor, loadItem, readItem } from '../access.ts';
import type { SnapshotTaken } from '../events.ts';
import type { ItemState, SnapshotLink } from '../state.ts';

export const saveSnapshotPayload = z.object({
  item_id: param.ref(),
  folder_id: param.ref(),
  identifier: param.text(27, 64),
});
export type SaveSnapshotPayload = z.infer<typeof saveSnapshotPayload>;

export interface Candidate {
  readonly link: SnapshotLink;
  readonly snapshot: Loaded<ItemState>;
}

/**
 * Whether a snapshot the clip knows of is in `folderId` now. One whose own
 * stream the follow-up has not written yet is where it was saved; one that
 * was moved, trashed or deleted since counts where it is now.
 */
function isIn(folderId: string, { link, snapshot }: Candidate): boolean {
  if (snapshot.revision < 0) return link.folderId === folderId;
  return snapshot.state.status === 'live' && snapshot.state.folderId === folderId;
}

/**
 * item.save_snapshot: the owner saves one frame of a clip into a folder as a
 * new one-frame item. The clip's stream is what this command writes
 * (SnapshotTaken): it is the one place that knows every snapshot of its
 * frames, so "one snapshot of a frame per folder" is checked and recorded in
 * one consistency boundary. A reactor then creates the snapshot's own stream
 * (item.materialize_snapshot). Asking again for a frame already saved in that
 * folder answers 13201 with the existing snapshot and writes nothing.
 */
export const saveSnapshot = defineCommand({
  name: 'item.save_snapshot',
  internal: false,
  payload: saveSnapshotPayload,
  load: async (payload, ctx, reader) => {
    const loaded = await loadItem(reader, payload.item_id);
    const destination = await loadDestinationFor(reader, loaded, ctx, payload.folder_id);
    const links =
      destination === null
        ? []
        : loaded.item.state.snapshots.filter((s) => s.identifier === payload.identifier);
    const candidates: Candidate[] = [];
    for (const link of links)
      candidates.push({ link, snapshot: await readItem(reader, link.snapshotItemId) });
    return { ...loaded, destination, candidates };
  },
  decide: (payload, loaded, ctx) => {
    const refused = checkOwnLiveItem(loaded, ctx) ?? checkDestination(loaded.destination);
    if (refused) return refused;
    const { state } = loaded.item;
    if (state.kind === 'snapshot') return reject('AlreadySnapshot', { item_id: state.itemId });
    const frame = state.frames.find((f) => f.identifier === payload.identifier);
    if (!frame)
      return reject('IdentifierNotInClip', { item_id: state.itemId, identifier: payload.identifier });
    const existing = loaded.candidates.find((c) => isIn(payload.folder_id, c));
    if (existing) return acceptUnchanged('SnapshotAlreadySaved', { item_id: existing.link.snapshotItemId });
    const snapshotItemId = ctx.newId('itm', 'snapshot');
    const taken: SnapshotTaken = {
      type: 'SnapshotTaken',
      data: {
        itemId: state.itemId,
        snapshotItemId,
        folderId: payload.folder_id,
        identifier: payload.identifier,
        frame,
      },
    };
    return accept('SnapshotSaved', loaded.item, [taken], { item_id: snapshotItemId });
  },
});
