import { z } from 'zod';
import { accountAggregate, type LiveViewStarted } from '../../account/index.ts';
import { accept, defineCommand, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import { cameraAggregate } from '../state.ts';
import { ownedCameraCheck } from './owned.ts';

/** What one live view session costs. */
export const liveViewCost = 1;

export const startLiveViewPayload = z.object({ camera_id: param.ref() });

/**
 * camera.start_liveview: the owner opens a live view session, paying for it.
 * The balance is the invariant at stake (two sessions started at once must
 * not both spend the last credit), so the command writes the actor's account
 * stream and only reads the camera.
 */
export const startLiveView = defineCommand({
  name: 'camera.start_liveview',
  internal: false,
  payload: startLiveViewPayload,
  load: async (payload, ctx, reader) => ({
    camera: await reader.read(cameraAggregate, payload.camera_id),
    account: await reader.read(accountAggregate, ctx.actor),
  }),
  decide: (payload, { camera, account }, ctx) => {
    const refused = ownedCameraCheck(camera.state, ctx.actor);
    if (refused) return refused;
    if (!camera.state.liveViewCapable) return reject('LiveViewNotAvailable', { param: 'camera_id' });
    if (!camera.state.connected) return reject('LiveViewNotConnected', { param: 'camera_id' });
    if (account.state.credits < liveViewCost)
      return reject('NoCredits', { credits: account.state.credits, required: liveViewCost });
    const sessionId = ctx.newId('lvs');
    const started: LiveViewStarted = {
      type: 'LiveViewStarted',
      data: { sessionId, cameraId: payload.camera_id, credits: liveViewCost },
    };
    return accept('Ok', account, [started], { session_id: sessionId });
  },
});
