import type { DomainEvent } from '../kernel/index.ts';
import { testId } from '../testing/index.ts';
import type { Frame, ItemEvent } from './events.ts';

// Histories the item specifications start from: the streams of the other
// slices an item command reads (camera, folder trees, directory), written as
// those slices' events, and a recorded clip.

export const alice = testId('usr', 'A');
export const bob = testId('usr', 'B');
export const camera = testId('cam', 1);
export const clipId = testId('itm', 1);
export const garden = testId('fld', 1);
export const shed = testId('fld', 2);
export const bobsFolder = testId('fld', 3);
export const unknownFolder = testId('fld', 99);

/** A frame identifier of the minimum length (27). */
export const frameId = (n: number): string => `frame-${String(n).padStart(21, '0')}`;

export const frames: readonly Frame[] = [1, 2, 3].map((n) => ({
  identifier: frameId(n),
  datetime: `2026-01-01T00:00:0${n}.000Z`,
  milliseconds: n === 3 ? null : n * 100,
}));

export const cameraOf = (ownerId: string, cameraId: string = camera): Record<string, DomainEvent[]> => ({
  [`camera-${cameraId}`]: [
    { type: 'CameraRegistered', data: { cameraId, ownerId, label: 'porch', liveViewCapable: false } },
  ],
});

export const folderCreated = (
  ownerId: string,
  folderId: string,
  name: string,
  parentId: string | null = null,
) => ({
  type: 'FolderCreated',
  data: { folderId, ownerId, name, parentId },
});

export const folderDeleted = (folderId: string, deletedFolderIds: string[] = [folderId]) => ({
  type: 'FolderDeleted',
  data: { folderId, deletedFolderIds },
});

export const claimOf = (folderId: string, ownerId: string): Record<string, DomainEvent[]> => ({
  [`directory-${folderId}`]: [
    {
      type: 'IdClaimed',
      data: { id: folderId, kind: 'folder', owner: ownerId, container: `foldertree-${ownerId}` },
    },
  ],
});

/** Alice has Garden and Shed, Bob has his own folder; the directory knows all three. */
export const folders: Record<string, DomainEvent[]> = {
  [`foldertree-${alice}`]: [folderCreated(alice, garden, 'Garden'), folderCreated(alice, shed, 'Shed')],
  [`foldertree-${bob}`]: [folderCreated(bob, bobsFolder, 'Bobs')],
  ...claimOf(garden, alice),
  ...claimOf(shed, alice),
  ...claimOf(bobsFolder, bob),
};

export const recorded = (itemId: string = clipId, ownerId: string = alice): ItemEvent => ({
  type: 'ItemRecorded',
  data: {
    itemId,
    cameraId: camera,
    ownerId,
    startDatetime: '2026-01-01T00:00:00.000Z',
    endDatetime: '2026-01-01T00:00:10.000Z',
    isAlert: true,
    frames,
  },
});

export const moved = (
  toFolderId: string,
  fromFolderId: string | null = null,
  itemId = clipId,
): ItemEvent => ({
  type: 'ItemMoved',
  data: { itemId, fromFolderId, toFolderId },
});

export const trashed = (
  trashedAt: string,
  fromFolderId: string | null = null,
  itemId = clipId,
): ItemEvent => ({
  type: 'ItemTrashed',
  data: { itemId, trashedAt, fromFolderId },
});

/** Alice's clip in her inbox, with her folders around it. */
export const world = (...clipHistory: ItemEvent[]): Record<string, readonly DomainEvent[]> => ({
  ...cameraOf(alice),
  ...folders,
  [`item-${clipId}`]: [recorded(), ...clipHistory],
});
