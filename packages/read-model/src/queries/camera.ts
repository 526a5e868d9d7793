import { queryPayloads } from '@camledger/domain';
import { listPage, pageOf } from './paging.ts';
import { defineQuery, found, refused } from './query.ts';

// A deleted camera is not found for anyone (as the camera commands answer);
// another user's camera is 2001.

interface CameraRow {
  readonly camera_id: string;
  readonly owner_id: string;
  readonly label: string;
  readonly public_label: string;
  readonly description: string;
  readonly address1: string;
  readonly address2: string;
  readonly address3: string;
  readonly county: string;
  readonly postcode: string;
  readonly country: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly alerts: boolean;
  readonly record_video: boolean;
  readonly is_hidden: boolean;
  readonly live_view_capable: boolean;
  readonly live_view_connected: boolean;
}

const shown = (c: CameraRow) => ({
  camera_id: c.camera_id,
  label: c.label,
  public_label: c.public_label,
  description: c.description,
  address1: c.address1,
  address2: c.address2,
  address3: c.address3,
  county: c.county,
  postcode: c.postcode,
  country: c.country,
  latitude: c.latitude,
  longitude: c.longitude,
  alerts: c.alerts,
  record_video: c.record_video,
  is_hidden: c.is_hidden,
  live_view_capable: c.live_view_capable,
  live_view_connected: c.live_view_connected,
});

export const cameraGet = defineQuery({
  name: 'camera.get',
  payload: queryPayloads['camera.get'],
  async run({ db, actor }, { camera_id }) {
    const [camera] = await db.query<CameraRow>('SELECT * FROM cameras WHERE camera_id = $1 AND NOT deleted', [
      camera_id,
    ]);
    if (!camera) return refused('CameraNotFound', { camera_id });
    if (camera.owner_id !== actor) return refused('NotCameraOwner', { camera_id });
    return found(shown(camera));
  },
});

export const cameraGetList = defineQuery({
  name: 'camera.get_list',
  payload: queryPayloads['camera.get_list'],
  async run({ db, actor }, payload) {
    return found(
      await listPage<CameraRow>(
        db,
        'cameras',
        pageOf(payload),
        {
          select: 'SELECT * FROM cameras WHERE owner_id = $1 AND NOT deleted ORDER BY label_key, camera_id',
          count: 'SELECT count(*) AS total FROM cameras WHERE owner_id = $1 AND NOT deleted',
          params: [actor],
        },
        shown,
      ),
    );
  },
});
