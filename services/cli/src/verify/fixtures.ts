import { creatorTag, normalizeUsername } from '@camledger/domain';
import { generatedTestId } from '@camledger/domain/testing';
import type { EventStore } from '@camledger/event-store';
import { expect } from 'vitest';
import { idOf, type Written, write } from '../test-history.ts';
import { type Violation, verify } from './index.ts';

// Honest pieces of history for verify's specs, each written as the worker
// writes it (the origin event, then its follow-up's event as `system`), so a
// spec can add the one dishonest event it is about and nothing else is wrong.

const day = 24 * 60 * 60 * 1000;
export const options = { trashRetentionMs: 30 * day };

export async function violationsOf(store: EventStore, parked: Parameters<typeof verify>[1]['parked'] = []) {
  return (await verify(store, { ...options, parked })).violations;
}

/** The report names `invariant` on exactly the event `at` (its position, stream, revision, command). */
export function expectNamed(
  violations: readonly Violation[],
  invariant: string,
  at: Written,
  actor: string | null,
) {
  expect(violations).toContainEqual(
    expect.objectContaining({
      invariant,
      position: at.position,
      stream: at.stream,
      revision: at.revision,
      commandId: at.commandId || null,
      actor,
    }),
  );
}

/** account.register: the reservation, then its follow-up account.open. */
export async function registered(store: EventStore, userId: string, username: string) {
  const data = { userId, username, displayName: '' };
  const claim = await write(store, `username-${normalizeUsername(username)}`, 'UsernameClaimed', data, {
    actor: 'system',
  });
  const account = await write(store, `account-${userId}`, 'AccountRegistered', data, { actor: 'system' });
  return { claim, account };
}

/** folder.create: the folder's directory claim, then the folder in its owner's tree. */
export async function folderCreated(
  store: EventStore,
  owner: string,
  folderId: string,
  name: string,
  parentId: string | null = null,
) {
  await claimed(store, folderId, owner);
  return folderWritten(store, owner, folderId, name, parentId);
}

/** The folder in its owner's tree alone, with no claim before it: for specs about a missing or foreign claim. */
export const folderWritten = (
  store: EventStore,
  owner: string,
  folderId: string,
  name: string,
  parentId: string | null = null,
) =>
  write(
    store,
    `foldertree-${owner}`,
    'FolderCreated',
    { folderId, ownerId: owner, name, parentId },
    { actor: owner },
  );

/** folder.create without a folder_id: `owner`'s creator tag (their first such folder), then the folder. */
export async function generatedFolderCreated(store: EventStore, owner: string, n: number, name: string) {
  await tagRegistered(store, owner);
  const folderId = generatedTestId('fld', n, owner);
  return { folderId, written: await folderWritten(store, owner, folderId, name) };
}

/** `user`'s creator tag in `idtag-<tag>`, as folder.create writes it (as its actor) before their first generated folder. */
export const tagRegistered = (store: EventStore, user: string) =>
  write(
    store,
    `idtag-${creatorTag(user)}`,
    'IdTagHeld',
    { tag: creatorTag(user), userId: user },
    { actor: user },
  );

/** The directory's claim of a folder id for `owner`, written here as `system` (folder.create writes it as its actor). */
export const claimed = (store: EventStore, folderId: string, owner: string) =>
  write(
    store,
    `directory-${folderId}`,
    'IdClaimed',
    { id: folderId, kind: 'folder', owner, container: owner },
    { actor: 'system' },
  );

/** network.create: a private network of `owner`, needing no cameras. */
export const networkCreated = (store: EventStore, owner: string, networkId: string) =>
  write(
    store,
    `network-${networkId}`,
    'NetworkCreated',
    { networkId, ownerId: owner, name: 'Street', type: 'private', requiresCameras: false, description: '' },
    { actor: owner },
  );

/** camera.register (internal, so by system): `owner`'s camera, no live view. */
export const cameraRegistered = (store: EventStore, cameraId: string, owner: string) =>
  write(
    store,
    `camera-${cameraId}`,
    'CameraRegistered',
    { cameraId, ownerId: owner, label: '', liveViewCapable: false },
    { actor: 'system' },
  );

export const frame = (n: number, datetime = '2026-01-01T00:00:00.000Z') => ({
  identifier: `f${String(n).padStart(26, '0')}`,
  datetime,
  milliseconds: null,
});

/** item.record: a clip of one camera, with two frames. */
export const clipRecorded = (store: EventStore, itemId: string, owner: string) =>
  write(
    store,
    `item-${itemId}`,
    'ItemRecorded',
    {
      itemId,
      cameraId: idOf('cam', 1),
      ownerId: owner,
      startDatetime: '2026-01-01T00:00:00.000Z',
      endDatetime: '2026-01-01T00:00:10.000Z',
      isAlert: false,
      frames: [frame(1), frame(2)],
    },
    { actor: 'system' },
  );
