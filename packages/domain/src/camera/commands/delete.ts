import { z } from 'zod';
import { accept, defineCommand } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { CameraDeleted } from '../events.ts';
import { cameraAggregate } from '../state.ts';
import { ownedCameraCheck } from './owned.ts';

export const deleteCameraPayload = z.object({ camera_id: param.ref() });

/**
 * camera.delete: the owner removes the camera. Its stream stays (history);
 * from then on the camera is not found (2000), also to a second delete.
 */
export const deleteCamera = defineCommand({
  name: 'camera.delete',
  internal: false,
  payload: deleteCameraPayload,
  load: async (payload, _ctx, reader) => ({ camera: await reader.read(cameraAggregate, payload.camera_id) }),
  decide: (payload, { camera }, ctx) => {
    const refused = ownedCameraCheck(camera.state, ctx.actor);
    if (refused) return refused;
    const deleted: CameraDeleted = { type: 'CameraDeleted', data: { cameraId: payload.camera_id } };
    return accept('CameraDeleted', camera, [deleted]);
  },
});
