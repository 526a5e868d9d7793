import { z } from 'zod';
import { cameraAggregate, liveCamera } from '../../camera/index.ts';
import { accept, acceptUnchanged, defineCommand, isId, reject, streamName } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { Frame, ItemRecorded } from '../events.ts';
import { itemAggregate } from '../state.ts';

const frame = z.object({
  identifier: param.text(27, 64),
  datetime: param.datetime(),
  milliseconds: param.int(0, 999).optional(),
});

// param.list bounds only the top; a clip without a frame is "too short",
// the counterpart of the list's "too long" (200).
const frames = param.list(frame, 10000).superRefine((value, ctx) => {
  if (value.length === 0)
    param.fail(ctx, value, { failure: 'StringTooShort', reason: 'at least 1 element', limit: 1 });
});

export const recordPayload = z.object({
  item_id: param.newId('itm').optional(),
  camera_id: param.ref(),
  start_datetime: param.datetime(),
  end_datetime: param.datetime(),
  is_alert: param.flag(),
  frames,
});
export type RecordPayload = z.infer<typeof recordPayload>;

/**
 * item.record (internal, camera ingest): a camera's clip lands in its
 * owner's inbox. The ingest may supply the item id, which makes a repeated
 * upload of the same clip harmless.
 */
export const record = defineCommand({
  name: 'item.record',
  internal: true,
  payload: recordPayload,
  load: async (payload, _ctx, reader) => ({
    // A camera id of the wrong form is never read: it is simply not found (2000).
    camera: isId('cam', payload.camera_id)
      ? (await reader.read(cameraAggregate, payload.camera_id)).state
      : null,
    existing: payload.item_id ? await reader.read(itemAggregate, payload.item_id) : null,
  }),
  decide: (payload, { camera, existing }, ctx) => {
    // Checked with the parameters (before 2000): a clip cannot end before it starts.
    if (Date.parse(payload.end_datetime) < Date.parse(payload.start_datetime))
      return reject('MissingParameter', { param: 'end_datetime', reason: 'before start_datetime' });
    // Two frames with one identifier would make a snapshot of "that frame" ambiguous.
    const seen = new Set<string>();
    for (const [index, f] of payload.frames.entries()) {
      if (seen.has(f.identifier))
        return reject('MissingParameter', {
          param: `frames.${index}.identifier`,
          reason: 'identifier repeated in the clip',
        });
      seen.add(f.identifier);
    }
    if (camera === null || !liveCamera(camera) || camera.ownerId === null)
      return reject('CameraNotFound', { camera_id: payload.camera_id });
    if (existing && existing.revision >= 0) {
      // The same upload again is a success that changes nothing; an id already used for
      // another camera's clip is refused rather than silently answered with someone else's item.
      return existing.state.cameraId === payload.camera_id
        ? acceptUnchanged('Ok', { item_id: existing.state.itemId })
        : reject('MissingParameter', { param: 'item_id', reason: 'already used' });
    }
    const itemId = payload.item_id ?? ctx.newId('itm');
    const recorded: ItemRecorded = {
      type: 'ItemRecorded',
      data: {
        itemId,
        cameraId: payload.camera_id,
        ownerId: camera.ownerId,
        startDatetime: payload.start_datetime,
        endDatetime: payload.end_datetime,
        isAlert: payload.is_alert,
        frames: payload.frames.map(
          (f): Frame => ({
            identifier: f.identifier,
            datetime: f.datetime,
            milliseconds: f.milliseconds ?? null,
          }),
        ),
      },
    };
    const into = existing ?? {
      stream: streamName('item', itemId),
      state: itemAggregate.initial,
      revision: -1,
    };
    return accept('Ok', into, [recorded], { item_id: itemId });
  },
});
