import { defineSlice } from '../kernel/index.ts';
import { deleteCamera } from './commands/delete.ts';
import { liveViewConnected, liveViewDisconnected } from './commands/liveview-link.ts';
import { registerCamera } from './commands/register.ts';
import { startLiveView } from './commands/start-liveview.ts';
import { updateCamera } from './commands/update.ts';
import { cameraAggregate } from './state.ts';

export { deleteCamera, deleteCameraPayload } from './commands/delete.ts';
export { liveViewConnected, liveViewDisconnected, liveViewLinkPayload } from './commands/liveview-link.ts';
export { ownedCameraCheck } from './commands/owned.ts';
export { registerCamera, registerCameraPayload } from './commands/register.ts';
export { liveViewCost, startLiveView, startLiveViewPayload } from './commands/start-liveview.ts';
export { cameraFieldNames, updateCamera, updateCameraPayload } from './commands/update.ts';
export type * from './events.ts';
export * from './state.ts';

export const cameraSlice = defineSlice({
  aggregates: [cameraAggregate],
  commands: [
    registerCamera,
    updateCamera,
    deleteCamera,
    liveViewConnected,
    liveViewDisconnected,
    startLiveView,
  ],
  eventVersions: {
    CameraRegistered: 1,
    CameraUpdated: 1,
    CameraDeleted: 1,
    LiveViewConnected: 1,
    LiveViewDisconnected: 1,
  },
});
