import {
  type CameraDeleted,
  type CameraDetails,
  type CameraRegistered,
  type CameraUpdated,
  cameraFieldNames,
  type LiveViewConnected,
  listOrderKey,
} from '@camledger/domain';
import { dataOf, type Handlers } from './projected-event.ts';

// cameras: every field `camera.get` shows. A deleted camera keeps its row,
// marked, and is not found for anyone (as the camera commands answer).

/** The column of each field CameraUpdated may carry: the row spells it as the wire does. */
const columns = Object.fromEntries(
  Object.entries(cameraFieldNames).map(([wire, field]) => [field, wire]),
) as Readonly<Record<keyof CameraDetails, string>>;

export const cameraHandlers: Handlers = {
  async CameraRegistered(tx, event) {
    const { cameraId, ownerId, label, liveViewCapable } = dataOf<CameraRegistered['data']>(event);
    await tx.query(
      `INSERT INTO cameras (camera_id, owner_id, label, label_key, live_view_capable)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (camera_id) DO NOTHING`,
      [cameraId, ownerId, label, listOrderKey(label), liveViewCapable],
    );
  },
  async CameraUpdated(tx, event) {
    const { cameraId, changes } = dataOf<CameraUpdated['data']>(event);
    const sets: string[] = [];
    const values: unknown[] = [cameraId];
    for (const [field, value] of Object.entries(changes)) {
      const column = columns[field as keyof CameraDetails];
      if (column === undefined) continue;
      values.push(value);
      sets.push(`${column} = $${values.length}`);
      if (field === 'label') {
        values.push(listOrderKey(String(value)));
        sets.push(`label_key = $${values.length}`);
      }
    }
    if (sets.length > 0) await tx.query(`UPDATE cameras SET ${sets.join(', ')} WHERE camera_id = $1`, values);
  },
  async CameraDeleted(tx, event) {
    const { cameraId } = dataOf<CameraDeleted['data']>(event);
    await tx.query('UPDATE cameras SET deleted = true, live_view_connected = false WHERE camera_id = $1', [
      cameraId,
    ]);
  },
  async LiveViewConnected(tx, event) {
    const { cameraId } = dataOf<LiveViewConnected['data']>(event);
    await tx.query('UPDATE cameras SET live_view_connected = true WHERE camera_id = $1', [cameraId]);
  },
  async LiveViewDisconnected(tx, event) {
    const { cameraId } = dataOf<LiveViewConnected['data']>(event);
    await tx.query('UPDATE cameras SET live_view_connected = false WHERE camera_id = $1', [cameraId]);
  },
};
