import { specFor } from '@camledger/testing';
import { describe, it } from 'vitest';
import { accountSlice } from '../account/index.ts';
import type { DomainEvent } from '../kernel/index.ts';
import { generatedTestId, testId } from '../testing/index.ts';
import { cameraSlice } from './index.ts';

const given = specFor([...cameraSlice.commands, ...accountSlice.commands]);
const system = { actor: 'system' } as const;
const alice = testId('usr', 1);
const bob = testId('usr', 2);
const asAlice = { actor: alice } as const;
const asBob = { actor: bob } as const;
const cam = testId('cam', 1);
const cameraStream = `camera-${cam}`;
const aliceStream = `account-${alice}`;

const aliceAccount: DomainEvent[] = [
  { type: 'AccountRegistered', data: { userId: alice, username: 'alice', displayName: '' } },
];
const registered = (liveViewCapable = true): DomainEvent => ({
  type: 'CameraRegistered',
  data: { cameraId: cam, ownerId: alice, label: 'Garden', liveViewCapable },
});
const aliceCamera = { [aliceStream]: aliceAccount, [cameraStream]: [registered()] };
const deletedCamera = { [cameraStream]: [registered(), { type: 'CameraDeleted', data: { cameraId: cam } }] };

describe('camera.register', () => {
  it('registering a camera for a registered user answers 10000 with camera_id', async () => {
    await given({ [aliceStream]: aliceAccount })
      .when(
        'camera.register',
        { camera_id: cam, owner_id: alice, label: 'Garden', live_view_capable: 1 },
        system,
      )
      .thenAccepts('Ok', { stream: cameraStream, events: [registered()], result: { camera_id: cam } });
  });

  it('without camera_id the camera gets an id from the context', async () => {
    const generated = generatedTestId('cam', 900, 'system');
    await given({ [aliceStream]: aliceAccount })
      .when('camera.register', { owner_id: alice, label: '', live_view_capable: false }, system)
      .thenAccepts('Ok', {
        stream: `camera-${generated}`,
        events: [
          {
            type: 'CameraRegistered',
            data: { cameraId: generated, ownerId: alice, label: '', liveViewCapable: false },
          },
        ],
        result: { camera_id: generated },
      });
  });

  it('registering the same camera for the same owner again is accepted with no new event', async () => {
    await given(aliceCamera)
      .when(
        'camera.register',
        { camera_id: cam, owner_id: alice, label: 'Garden', live_view_capable: 1 },
        system,
      )
      .thenAccepts('Ok', { events: [], result: { camera_id: cam } });
  });

  it('reusing a camera id for another owner answers 128 naming camera_id', async () => {
    await given({
      ...aliceCamera,
      [`account-${bob}`]: [
        { type: 'AccountRegistered', data: { userId: bob, username: 'bob', displayName: '' } },
      ],
    })
      .when('camera.register', { camera_id: cam, owner_id: bob, label: 'x', live_view_capable: 0 }, system)
      .thenRejects('MissingParameter', { param: 'camera_id' });
  });

  it('an owner who is not a registered user answers 8 naming owner_id', async () => {
    await given()
      .when('camera.register', { owner_id: bob, label: 'Garden', live_view_capable: 1 }, system)
      .thenRejects('UnknownUser', { param: 'owner_id' });
  });

  it('live_view_capable other than 0/1 answers 152', async () => {
    await given({ [aliceStream]: aliceAccount })
      .when('camera.register', { owner_id: alice, label: 'Garden', live_view_capable: 2 }, system)
      .thenRejects('IntegerTooBig', { param: 'live_view_capable' });
  });

  it('live_view_capable that is no number answers 136', async () => {
    await given({ [aliceStream]: aliceAccount })
      .when('camera.register', { owner_id: alice, label: 'Garden', live_view_capable: 'yes' }, system)
      .thenRejects('NotAnInteger', { param: 'live_view_capable' });
  });

  it('a label longer than 100 answers 200', async () => {
    await given({ [aliceStream]: aliceAccount })
      .when('camera.register', { owner_id: alice, label: 'x'.repeat(101), live_view_capable: 1 }, system)
      .thenRejects('StringTooLong', { param: 'label', limit: 100 });
  });
});

describe('camera.update', () => {
  it('the owner changing fields answers 12000 and records only what changed', async () => {
    await given(aliceCamera)
      .when(
        'camera.update',
        { camera_id: cam, label: 'Garden', public_label: 'Back garden', latitude: '51.5', alerts: 1 },
        asAlice,
      )
      .thenAccepts('CameraUpdated', {
        stream: cameraStream,
        events: [
          {
            type: 'CameraUpdated',
            data: { cameraId: cam, changes: { publicLabel: 'Back garden', latitude: 51.5, alerts: true } },
          },
        ],
      });
  });

  it('an update with no field answers 12000 with no event', async () => {
    await given(aliceCamera).when('camera.update', { camera_id: cam }, asAlice).thenAccepts('CameraUpdated');
  });

  it('an update to the values the camera already has answers 12000 with no event', async () => {
    await given(aliceCamera)
      .when('camera.update', { camera_id: cam, label: 'Garden', is_hidden: 0 }, asAlice)
      .thenAccepts('CameraUpdated');
  });

  it('updating an unknown camera answers 2000', async () => {
    await given()
      .when('camera.update', { camera_id: cam, label: 'x' }, asAlice)
      .thenRejects('CameraNotFound', { param: 'camera_id' });
  });

  it('updating a camera by a malformed id answers 2000', async () => {
    await given()
      .when('camera.update', { camera_id: 'garden-cam', label: 'x' }, asAlice)
      .thenRejects('CameraNotFound');
  });

  it('updating a deleted camera answers 2000', async () => {
    await given(deletedCamera)
      .when('camera.update', { camera_id: cam, label: 'x' }, asAlice)
      .thenRejects('CameraNotFound');
  });

  it("updating another user's camera answers 2001", async () => {
    await given(aliceCamera)
      .when('camera.update', { camera_id: cam, label: 'x' }, asBob)
      .thenRejects('NotCameraOwner', { param: 'camera_id' });
  });

  it('a latitude that is not a number answers 160', async () => {
    await given(aliceCamera)
      .when('camera.update', { camera_id: cam, latitude: 'north' }, asAlice)
      .thenRejects('NotAFloat', { param: 'latitude' });
  });

  it('a latitude below -90 answers 144', async () => {
    await given(aliceCamera)
      .when('camera.update', { camera_id: cam, latitude: -90.5 }, asAlice)
      .thenRejects('IntegerTooSmall', { param: 'latitude', limit: -90 });
  });

  it('a longitude above 180 answers 152', async () => {
    await given(aliceCamera)
      .when('camera.update', { camera_id: cam, longitude: 180.01 }, asAlice)
      .thenRejects('IntegerTooBig', { param: 'longitude', limit: 180 });
  });

  it('a postcode longer than 20 answers 200', async () => {
    await given(aliceCamera)
      .when('camera.update', { camera_id: cam, postcode: 'x'.repeat(21) }, asAlice)
      .thenRejects('StringTooLong', { param: 'postcode', limit: 20 });
  });

  it('a missing camera_id answers 128', async () => {
    await given(aliceCamera)
      .when('camera.update', { label: 'x' }, asAlice)
      .thenRejects('MissingParameter', { param: 'camera_id' });
  });
});

describe('camera.delete', () => {
  it('the owner deleting the camera answers 12100', async () => {
    await given(aliceCamera)
      .when('camera.delete', { camera_id: cam }, asAlice)
      .thenAccepts('CameraDeleted', {
        stream: cameraStream,
        events: [{ type: 'CameraDeleted', data: { cameraId: cam } }],
      });
  });

  it('deleting a camera already deleted answers 2000', async () => {
    await given(deletedCamera)
      .when('camera.delete', { camera_id: cam }, asAlice)
      .thenRejects('CameraNotFound');
  });

  it('deleting an unknown camera answers 2000', async () => {
    await given().when('camera.delete', { camera_id: cam }, asAlice).thenRejects('CameraNotFound');
  });

  it("deleting another user's camera answers 2001", async () => {
    await given(aliceCamera).when('camera.delete', { camera_id: cam }, asBob).thenRejects('NotCameraOwner');
  });

  it('another user asking about a deleted camera learns only 2000, not whose it was', async () => {
    await given(deletedCamera).when('camera.delete', { camera_id: cam }, asBob).thenRejects('CameraNotFound');
  });
});

describe('the live view link reported by the device gateway', () => {
  it('a connect report answers 10000 and marks the camera connected', async () => {
    await given(aliceCamera)
      .when('camera.liveview_connected', { camera_id: cam }, system)
      .thenAccepts('Ok', {
        stream: cameraStream,
        events: [{ type: 'LiveViewConnected', data: { cameraId: cam } }],
      });
  });

  it('a repeated connect report answers 10000 with no event', async () => {
    await given({ [cameraStream]: [registered(), { type: 'LiveViewConnected', data: { cameraId: cam } }] })
      .when('camera.liveview_connected', { camera_id: cam }, system)
      .thenAccepts('Ok');
  });

  it('a disconnect report of a connected camera answers 10000', async () => {
    await given({ [cameraStream]: [registered(), { type: 'LiveViewConnected', data: { cameraId: cam } }] })
      .when('camera.liveview_disconnected', { camera_id: cam }, system)
      .thenAccepts('Ok', { events: [{ type: 'LiveViewDisconnected', data: { cameraId: cam } }] });
  });

  it('a disconnect report of a camera not connected answers 10000 with no event', async () => {
    await given(aliceCamera)
      .when('camera.liveview_disconnected', { camera_id: cam }, system)
      .thenAccepts('Ok');
  });

  it('a connect report of an unknown camera answers 2000', async () => {
    await given().when('camera.liveview_connected', { camera_id: cam }, system).thenRejects('CameraNotFound');
  });

  it('a disconnect report of a deleted camera answers 2000', async () => {
    await given(deletedCamera)
      .when('camera.liveview_disconnected', { camera_id: cam }, system)
      .thenRejects('CameraNotFound');
  });
});

describe('camera.start_liveview', () => {
  const connected: DomainEvent = { type: 'LiveViewConnected', data: { cameraId: cam } };
  const withCredits = (credits: number): DomainEvent[] => [
    ...aliceAccount,
    { type: 'CreditsAdded', data: { credits } },
  ];
  const ready = { [aliceStream]: withCredits(2), [cameraStream]: [registered(), connected] };

  it('the owner of a connected camera with credits gets a session for 1 credit (10000)', async () => {
    const session = generatedTestId('lvs', 900, alice);
    await given(ready)
      .when('camera.start_liveview', { camera_id: cam }, asAlice)
      .thenAccepts('Ok', {
        stream: aliceStream,
        events: [{ type: 'LiveViewStarted', data: { sessionId: session, cameraId: cam, credits: 1 } }],
        result: { session_id: session },
      });
  });

  it('the last credit is spent once: after it the owner gets 1000', async () => {
    const session = testId('lvs', 1);
    await given({
      ...ready,
      [aliceStream]: [
        ...withCredits(1),
        { type: 'LiveViewStarted', data: { sessionId: session, cameraId: cam, credits: 1 } },
      ],
    })
      .when('camera.start_liveview', { camera_id: cam }, asAlice)
      .thenRejects('NoCredits');
  });

  it('an owner without credits answers 1000', async () => {
    await given({ ...ready, [aliceStream]: aliceAccount })
      .when('camera.start_liveview', { camera_id: cam }, asAlice)
      .thenRejects('NoCredits');
  });

  it('an unknown camera answers 2000', async () => {
    await given({ [aliceStream]: withCredits(2) })
      .when('camera.start_liveview', { camera_id: cam }, asAlice)
      .thenRejects('CameraNotFound');
  });

  it("another user's camera answers 2001 even when it could not stream anyway", async () => {
    await given({ [cameraStream]: [registered(false)] })
      .when('camera.start_liveview', { camera_id: cam }, asBob)
      .thenRejects('NotCameraOwner');
  });

  it('a camera without live view answers 2002 before connection or credits are looked at', async () => {
    await given({ [aliceStream]: aliceAccount, [cameraStream]: [registered(false)] })
      .when('camera.start_liveview', { camera_id: cam }, asAlice)
      .thenRejects('LiveViewNotAvailable');
  });

  it('a capable camera that is not connected answers 2003 before credits are looked at', async () => {
    await given({ [aliceStream]: aliceAccount, [cameraStream]: [registered()] })
      .when('camera.start_liveview', { camera_id: cam }, asAlice)
      .thenRejects('LiveViewNotConnected');
  });

  it('a camera that disconnected again answers 2003', async () => {
    await given({
      ...ready,
      [cameraStream]: [registered(), connected, { type: 'LiveViewDisconnected', data: { cameraId: cam } }],
    })
      .when('camera.start_liveview', { camera_id: cam }, asAlice)
      .thenRejects('LiveViewNotConnected');
  });
});
