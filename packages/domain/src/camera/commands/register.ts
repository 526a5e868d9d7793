import { z } from 'zod';
import { accountAggregate, isRegistered } from '../../account/index.ts';
import { accept, acceptUnchanged, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { CameraRegistered } from '../events.ts';
import { cameraAggregate } from '../state.ts';

export const registerCameraPayload = z.object({
  camera_id: param.newId('cam').optional(),
  owner_id: param.ref(),
  label: param.text(0, 100),
  live_view_capable: param.flag(),
});

/** camera.register (internal, from device provisioning): a new camera of a registered user. */
export const registerCamera = defineCommand({
  name: 'camera.register',
  internal: true,
  payload: registerCameraPayload,
  load: async (payload, ctx, reader) => {
    const cameraId = payload.camera_id ?? ctx.newId('cam');
    return {
      cameraId,
      camera: await reader.read(cameraAggregate, cameraId),
      owner: await reader.read(accountAggregate, payload.owner_id),
    };
  },
  decide: (payload, { cameraId, camera, owner }) => {
    if (!isRegistered(owner.state)) return reject('UnknownUser', { param: 'owner_id' });
    if (camera.state.exists) {
      // A client-chosen id makes creation idempotent: the same camera for the
      // same owner again is the same intent; anything else reuses an id.
      const repeat = !camera.state.deleted && camera.state.ownerId === payload.owner_id;
      return repeat
        ? acceptUnchanged('Ok', { camera_id: cameraId })
        : reject('MissingParameter', { param: 'camera_id', reason: 'already used by another camera' });
    }
    const registered: CameraRegistered = {
      type: 'CameraRegistered',
      data: {
        cameraId,
        ownerId: payload.owner_id,
        label: payload.label,
        liveViewCapable: payload.live_view_capable,
      },
    };
    return accept('Ok', camera, [registered], { camera_id: cameraId });
  },
});
