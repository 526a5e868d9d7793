import { specFor } from '@camledger/testing';
import { describe, it } from 'vitest';
import { accountSlice } from '../account/index.ts';
import type { DomainEvent } from '../kernel/index.ts';
import { testId } from '../testing/index.ts';
import { cameraSlice } from './index.ts';

// Found missing by mutation testing (BENCHMARKS.md, "Mutation testing"): no
// spec read a camera's state back after an update, and the live-view
// refusals were checked by code only, not by the parameter they name.

const given = specFor([...cameraSlice.commands, ...accountSlice.commands]);
const system = { actor: 'system' } as const;
const alice = testId('usr', 1);
const asAlice = { actor: alice } as const;
const cam = testId('cam', 1);
const cameraStream = `camera-${cam}`;
const aliceStream = `account-${alice}`;

const aliceAccount: DomainEvent[] = [
  { type: 'AccountRegistered', data: { userId: alice, username: 'alice', displayName: '' } },
  { type: 'CreditsAdded', data: { credits: 5 } },
];
const registered = (liveViewCapable: boolean): DomainEvent => ({
  type: 'CameraRegistered',
  data: { cameraId: cam, ownerId: alice, label: 'Garden', liveViewCapable },
});
const relabelled: DomainEvent = {
  type: 'CameraUpdated',
  data: { cameraId: cam, changes: { label: 'Porch' } },
};

describe('a camera rebuilt from its history', () => {
  it('holds the label an update gave it: sending that label again changes nothing', () =>
    given({ [aliceStream]: aliceAccount, [cameraStream]: [registered(true), relabelled] })
      .when('camera.update', { camera_id: cam, label: 'Porch' }, asAlice)
      .thenAccepts('CameraUpdated', { events: [] }));
});

describe('live-view refusals name camera_id', () => {
  it('a camera without live view answers LiveViewNotAvailable', () =>
    given({ [aliceStream]: aliceAccount, [cameraStream]: [registered(false)] })
      .when('camera.start_liveview', { camera_id: cam }, asAlice)
      .thenRejects('LiveViewNotAvailable', { param: 'camera_id' }));

  it('a camera whose link is down answers LiveViewNotConnected', () =>
    given({ [aliceStream]: aliceAccount, [cameraStream]: [registered(true)] })
      .when('camera.start_liveview', { camera_id: cam }, asAlice)
      .thenRejects('LiveViewNotConnected', { param: 'camera_id' }));

  it('a link report for an unknown camera answers CameraNotFound, up or down', async () => {
    await given()
      .when('camera.liveview_connected', { camera_id: cam }, system)
      .thenRejects('CameraNotFound', { param: 'camera_id' });
    await given()
      .when('camera.liveview_disconnected', { camera_id: cam }, system)
      .thenRejects('CameraNotFound', { param: 'camera_id' });
  });
});
