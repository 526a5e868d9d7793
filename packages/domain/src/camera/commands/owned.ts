import { type Rejected, reject } from '../../kernel/index.ts';
import type { CameraState } from '../state.ts';
import { liveCamera } from '../state.ts';

/**
 * The checks every owner command starts with, in the contract's order: a
 * camera that cannot be found (unknown, deleted, or a malformed id) is 2000
 * before anyone learns whose it is (2001).
 */
export function ownedCameraCheck(state: CameraState, actor: string): Rejected | null {
  if (!liveCamera(state)) return reject('CameraNotFound', { param: 'camera_id' });
  if (state.ownerId !== actor) return reject('NotCameraOwner', { param: 'camera_id' });
  return null;
}
