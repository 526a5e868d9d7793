import { specFor } from '@camledger/testing';
import { describe, it } from 'vitest';
import { testId } from '../testing/index.ts';
import { directorySlice } from './index.ts';

const given = specFor(directorySlice.commands);
const system = { actor: 'system' } as const;
const folderId = testId('fld', 1);
const alice = testId('usr', 1);
const bob = testId('usr', 2);
const claimOfFolder = { id: folderId, kind: 'folder', owner: alice, container: alice };
const claimed = {
  [`directory-${folderId}`]: [
    {
      type: 'IdClaimed',
      data: { id: folderId, kind: 'folder', owner: alice, container: alice },
    },
  ],
};

describe('directory.claim', () => {
  it('claiming a free id records who owns it and where it lives (10000)', async () => {
    await given()
      .when('directory.claim', claimOfFolder, system)
      .thenAccepts('Ok', {
        stream: `directory-${folderId}`,
        events: [{ type: 'IdClaimed', data: claimOfFolder }],
      });
  });

  it('claiming an invitation id names its network as the container', async () => {
    const invitationId = testId('inv', 7);
    const payload = {
      id: invitationId,
      kind: 'invitation',
      owner: bob,
      container: testId('net', 1),
    };
    await given()
      .when('directory.claim', payload, system)
      .thenAccepts('Ok', {
        stream: `directory-${invitationId}`,
        events: [{ type: 'IdClaimed', data: payload }],
      });
  });

  it('the same claim again is accepted with no new event, so a repeated follow-up is harmless', async () => {
    await given(claimed).when('directory.claim', claimOfFolder, system).thenAccepts('Ok', { events: [] });
  });

  it('claiming an id another user already holds answers 128 "already claimed"', async () => {
    await given(claimed)
      .when('directory.claim', { ...claimOfFolder, owner: bob, container: bob }, system)
      .thenRejects('MissingParameter', { param: 'id', reason: 'already claimed' });
  });

  it('the same id claimed for another owner in the same container, or in another container by the same owner, answers 128', async () => {
    await given(claimed)
      .when('directory.claim', { ...claimOfFolder, owner: bob }, system)
      .thenRejects('MissingParameter', { param: 'id', reason: 'already claimed' });
    await given(claimed)
      .when('directory.claim', { ...claimOfFolder, container: bob }, system)
      .thenRejects('MissingParameter', { param: 'id', reason: 'already claimed' });
  });

  it('claiming a folder id as an invitation answers 128', async () => {
    await given()
      .when('directory.claim', { ...claimOfFolder, kind: 'invitation' }, system)
      .thenRejects('MissingParameter', { param: 'id' });
  });

  it('an unknown kind answers 128 naming kind', async () => {
    await given()
      .when('directory.claim', { ...claimOfFolder, kind: 'camera' }, system)
      .thenRejects('MissingParameter', { param: 'kind', reason: 'must be folder or invitation' });
  });

  it('a claim without a container answers 128 naming container', async () => {
    const { container: _, ...withoutContainer } = claimOfFolder;
    await given()
      .when('directory.claim', withoutContainer, system)
      .thenRejects('MissingParameter', { param: 'container' });
  });
});
