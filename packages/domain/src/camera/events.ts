import type { DomainEvent } from '../kernel/index.ts';

/** The descriptive fields `camera.update` may change, as they are kept in state and events. */
export interface CameraDetails {
  readonly label: string;
  readonly publicLabel: string;
  readonly description: string;
  readonly address1: string;
  readonly address2: string;
  readonly address3: string;
  readonly county: string;
  readonly postcode: string;
  readonly country: string;
  /** Null until the owner places the camera. */
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly alerts: boolean;
  readonly recordVideo: boolean;
  readonly isHidden: boolean;
}

export type CameraRegistered = DomainEvent<
  'CameraRegistered',
  {
    readonly cameraId: string;
    readonly ownerId: string;
    readonly label: string;
    readonly liveViewCapable: boolean;
  }
>;
/** Only the fields that actually changed, so history shows what the owner changed. */
export type CameraUpdated = DomainEvent<
  'CameraUpdated',
  { readonly cameraId: string; readonly changes: Partial<CameraDetails> }
>;
export type CameraDeleted = DomainEvent<'CameraDeleted', { readonly cameraId: string }>;
export type LiveViewConnected = DomainEvent<'LiveViewConnected', { readonly cameraId: string }>;
export type LiveViewDisconnected = DomainEvent<'LiveViewDisconnected', { readonly cameraId: string }>;

export type CameraEvent =
  | CameraRegistered
  | CameraUpdated
  | CameraDeleted
  | LiveViewConnected
  | LiveViewDisconnected;
