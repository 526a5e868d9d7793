import { specFor } from '@camledger/testing';
import { describe, expect, it } from 'vitest';
import type { AccountEvent } from '../account/events.ts';
import { accountAggregate } from '../account/index.ts';
import { type DomainEvent, fold } from '../kernel/index.ts';
import { generatedTestId, testId } from '../testing/index.ts';
import { cameraSlice } from './index.ts';

// The credit check at its boundary: a live view costs 1 credit, so exactly 1
// credit is enough (and leaves 0), and 0 is not.

const given = specFor(cameraSlice.commands);
const alice = testId('usr', 1);
const cam = testId('cam', 1);
const asAlice = { actor: alice } as const;
const account = `account-${alice}`;
const camera = {
  [`camera-${cam}`]: [
    {
      type: 'CameraRegistered',
      data: { cameraId: cam, ownerId: alice, label: 'Garden', liveViewCapable: true },
    },
    { type: 'LiveViewConnected', data: { cameraId: cam } },
  ],
};
const oneCredit: DomainEvent[] = [
  { type: 'AccountRegistered', data: { userId: alice, username: 'alice', displayName: '' } },
  { type: 'CreditsAdded', data: { credits: 1 } },
];

describe('camera.start_liveview at the credit boundary', () => {
  it('spends from exactly 1 credit (10000, 0 left), then from 0 answers 1000', async () => {
    const first = await given({ ...camera, [account]: oneCredit })
      .when('camera.start_liveview', { camera_id: cam }, asAlice)
      .thenAccepts('Ok', {
        stream: account,
        events: [
          {
            type: 'LiveViewStarted',
            data: { sessionId: generatedTestId('lvs', 900, alice), cameraId: cam, credits: 1 },
          },
        ],
      });
    const after = [...oneCredit, ...(first.write?.events ?? [])];
    expect(fold(accountAggregate, after as AccountEvent[]).credits).toBe(0);

    await given({ ...camera, [account]: after })
      .when('camera.start_liveview', { camera_id: cam }, asAlice)
      .thenRejects('NoCredits', { credits: 0, required: 1 });
  });
});
