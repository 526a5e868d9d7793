import { specFor } from '@camledger/testing';
import { describe, it } from 'vitest';
import { accountSlice } from '../account/index.ts';
import { cameraSlice } from '../camera/index.ts';
import type { DomainEvent } from '../kernel/index.ts';
import { testId } from '../testing/index.ts';

// Numbers sent as strings are read as decimal text only (docs/decisions.md,
// "Parameters"): Number() alone would take "0x10" as 16 and "" as 0.

const given = specFor([...cameraSlice.commands, ...accountSlice.commands]);
const alice = testId('usr', 1);
const cam = testId('cam', 1);
const asAlice = { actor: alice } as const;
const system = { actor: 'system' } as const;
const aliceCamera: Record<string, DomainEvent[]> = {
  [`account-${alice}`]: [
    { type: 'AccountRegistered', data: { userId: alice, username: 'alice', displayName: '' } },
  ],
  [`camera-${cam}`]: [
    {
      type: 'CameraRegistered',
      data: { cameraId: cam, ownerId: alice, label: 'Garden', liveViewCapable: true },
    },
  ],
};
const latitudeSet = (latitude: number): DomainEvent => ({
  type: 'CameraUpdated',
  data: { cameraId: cam, changes: { latitude } },
});

describe('a float parameter (camera.update latitude)', () => {
  it.each([
    '0x10',
    '0b1',
    '0o7',
    '',
    ' ',
    '1e',
    'e2',
    'Infinity',
    '-Infinity',
    'NaN',
    '1_000',
    '+1',
    '.5',
    '5.',
    '12,5',
    '1e400',
  ])('%j answers 160', async (latitude) => {
    await given(aliceCamera)
      .when('camera.update', { camera_id: cam, latitude }, asAlice)
      .thenRejects('NotAFloat', { param: 'latitude' });
  });

  it.each([
    ['-12.5', -12.5],
    ['12', 12],
    [12.5, 12.5],
    [' 45.25 ', 45.25],
    ['1e1', 10],
    ['-2.5E+1', -25],
    ['0', 0],
  ] as const)('%j is read as %d', async (latitude, value) => {
    await given(aliceCamera)
      .when('camera.update', { camera_id: cam, latitude }, asAlice)
      .thenAccepts('CameraUpdated', { events: [latitudeSet(value)] });
  });

  it('"1e2" is a number, and above 90: 152', async () => {
    await given(aliceCamera)
      .when('camera.update', { camera_id: cam, latitude: '1e2' }, asAlice)
      .thenRejects('IntegerTooBig', { param: 'latitude', limit: 90 });
  });
});

describe('an integer parameter (account.add_credits credits)', () => {
  it.each(['0x10', '0b1', '0o7', '1.0', '1.5', '1e2', '', ' ', 'Infinity', 'NaN', '1_000', '+5', 1.5])(
    '%j answers 136',
    async (credits) => {
      await given(aliceCamera)
        .when('account.add_credits', { user_id: alice, credits }, system)
        .thenRejects('NotAnInteger', { param: 'credits' });
    },
  );

  it.each([
    ['16', 16],
    [' 7 ', 7],
    [100, 100],
  ] as const)('%j is read as %d', async (credits, value) => {
    await given(aliceCamera)
      .when('account.add_credits', { user_id: alice, credits }, system)
      .thenAccepts('Ok', { events: [{ type: 'CreditsAdded', data: { credits: value } }] });
  });
});
