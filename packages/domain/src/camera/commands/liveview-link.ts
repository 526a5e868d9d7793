import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { LiveViewConnected, LiveViewDisconnected } from '../events.ts';
import { cameraAggregate, liveCamera } from '../state.ts';

export const liveViewLinkPayload = z.object({ camera_id: param.ref() });

// The device gateway reports link changes at least once and possibly again;
// a report of the state the camera is already in is accepted without an event.

/** camera.liveview_connected (internal, from the device gateway). */
export const liveViewConnected = defineCommand({
  name: 'camera.liveview_connected',
  internal: true,
  payload: liveViewLinkPayload,
  load: async (payload, _ctx, reader) => ({ camera: await reader.read(cameraAggregate, payload.camera_id) }),
  decide: (payload, { camera }) => {
    if (!liveCamera(camera.state)) return reject('CameraNotFound', { param: 'camera_id' });
    if (camera.state.connected) return acceptUnchanged('Ok');
    const connected: LiveViewConnected = { type: 'LiveViewConnected', data: { cameraId: payload.camera_id } };
    return accept('Ok', camera, [connected]);
  },
});

/** camera.liveview_disconnected (internal, from the device gateway). */
export const liveViewDisconnected = defineCommand({
  name: 'camera.liveview_disconnected',
  internal: true,
  payload: liveViewLinkPayload,
  load: async (payload, _ctx, reader) => ({ camera: await reader.read(cameraAggregate, payload.camera_id) }),
  decide: (payload, { camera }) => {
    if (!liveCamera(camera.state)) return reject('CameraNotFound', { param: 'camera_id' });
    if (!camera.state.connected) return acceptUnchanged('Ok');
    const disconnected: LiveViewDisconnected = {
      type: 'LiveViewDisconnected',
      data: { cameraId: payload.camera_id },
    };
    return accept('Ok', camera, [disconnected]);
  },
});
