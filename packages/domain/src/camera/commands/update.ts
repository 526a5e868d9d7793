import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { CameraDetails, CameraUpdated } from '../events.ts';
import { cameraAggregate } from '../state.ts';
import { ownedCameraCheck } from './owned.ts';

export const updateCameraPayload = z.object({
  camera_id: param.ref(),
  label: param.text(0, 100).optional(),
  public_label: param.text(0, 100).optional(),
  description: param.text(0, 512).optional(),
  address1: param.text(0, 100).optional(),
  address2: param.text(0, 100).optional(),
  address3: param.text(0, 100).optional(),
  county: param.text(0, 50).optional(),
  postcode: param.text(0, 20).optional(),
  country: param.text(0, 100).optional(),
  latitude: param.float(-90, 90).optional(),
  longitude: param.float(-180, 180).optional(),
  alerts: param.flag().optional(),
  record_video: param.flag().optional(),
  is_hidden: param.flag().optional(),
});
type UpdateCameraPayload = z.infer<typeof updateCameraPayload>;

// Wire name -> state name: the one place the two spellings meet (the read
// side's columns are the wire names).
export const cameraFieldNames = {
  label: 'label',
  public_label: 'publicLabel',
  description: 'description',
  address1: 'address1',
  address2: 'address2',
  address3: 'address3',
  county: 'county',
  postcode: 'postcode',
  country: 'country',
  latitude: 'latitude',
  longitude: 'longitude',
  alerts: 'alerts',
  record_video: 'recordVideo',
  is_hidden: 'isHidden',
} as const satisfies Record<Exclude<keyof UpdateCameraPayload, 'camera_id'>, keyof CameraDetails>;

/** The fields given whose value differs from the camera's today. */
function changesOf(payload: UpdateCameraPayload, current: CameraDetails): Partial<CameraDetails> {
  const changes: Record<string, unknown> = {};
  for (const [wire, field] of Object.entries(cameraFieldNames) as [
    keyof typeof cameraFieldNames,
    keyof CameraDetails,
  ][]) {
    const value = payload[wire];
    if (value !== undefined && value !== current[field]) changes[field] = value;
  }
  return changes as Partial<CameraDetails>;
}

/**
 * camera.update: the owner changes descriptive fields. Only the fields that
 * change are recorded; a call that changes nothing (no field, or the values
 * it already has) is still 12000, with no event, so a repeat is harmless.
 */
export const updateCamera = defineCommand({
  name: 'camera.update',
  internal: false,
  payload: updateCameraPayload,
  load: async (payload, _ctx, reader) => ({ camera: await reader.read(cameraAggregate, payload.camera_id) }),
  decide: (payload, { camera }, ctx) => {
    const refused = ownedCameraCheck(camera.state, ctx.actor);
    if (refused) return refused;
    const changes = changesOf(payload, camera.state);
    if (Object.keys(changes).length === 0) return acceptUnchanged('CameraUpdated');
    const updated: CameraUpdated = { type: 'CameraUpdated', data: { cameraId: payload.camera_id, changes } };
    return accept('CameraUpdated', camera, [updated]);
  },
});
