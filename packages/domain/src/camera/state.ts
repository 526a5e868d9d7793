import { type Aggregate, evolveByType } from '../kernel/index.ts';
import type { CameraDetails, CameraEvent } from './events.ts';

export interface CameraState extends CameraDetails {
  readonly exists: boolean;
  /** A deleted camera keeps its stream (history) but is "not found" (2000) to every command. */
  readonly deleted: boolean;
  readonly ownerId: string | null;
  readonly liveViewCapable: boolean;
  /** Whether the device gateway reports the live view link as up. */
  readonly connected: boolean;
}

export const initialCameraDetails: CameraDetails = {
  label: '',
  publicLabel: '',
  description: '',
  address1: '',
  address2: '',
  address3: '',
  county: '',
  postcode: '',
  country: '',
  latitude: null,
  longitude: null,
  alerts: false,
  recordVideo: false,
  isHidden: false,
};

export const initialCamera: CameraState = {
  exists: false,
  deleted: false,
  ownerId: null,
  liveViewCapable: false,
  connected: false,
  ...initialCameraDetails,
};

export const evolveCamera = evolveByType<CameraState, CameraEvent>({
  CameraRegistered: (state, { data }) => ({
    ...state,
    exists: true,
    ownerId: data.ownerId,
    label: data.label,
    liveViewCapable: data.liveViewCapable,
  }),
  CameraUpdated: (state, { data }) => ({ ...state, ...data.changes }),
  CameraDeleted: (state) => ({ ...state, deleted: true, connected: false }),
  LiveViewConnected: (state) => ({ ...state, connected: true }),
  LiveViewDisconnected: (state) => ({ ...state, connected: false }),
});

/** One stream per camera (id = camera id). */
export const cameraAggregate: Aggregate<CameraState, CameraEvent> = {
  category: 'camera',
  initial: initialCamera,
  evolve: evolveCamera,
};

/** The camera can be found: registered and not deleted. Everything else answers 2000. */
export const liveCamera = (state: CameraState): boolean => state.exists && !state.deleted;
