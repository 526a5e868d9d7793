import { testId } from '@camledger/domain/testing';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { ReferenceModel } from './reference.ts';
import {
  actorIndex,
  cameraPool,
  cameraRefs,
  choose,
  folderNames,
  folderPool,
  frameIds,
  index,
  itemPool,
  pick,
  Step,
  strangeFrame,
  Tick,
  usernames,
  users,
} from './steps.ts';

// The steps of account, camera, item and folder commands, and the clock.

const day = 24 * 60 * 60 * 1000;

/** The actor: half the time the owner of the thing named (when the model knows one), else anyone. */
function actorFor(owner: string | undefined, asOwner: boolean, i: number): string {
  return asOwner && owner !== undefined ? owner : pick(users, i);
}

const itemRef = (m: ReferenceModel, i: number) =>
  choose(m.items.keys(), [...itemPool, testId('itm', 99_999), 'itm_bad'], i);
const folderRef = (m: ReferenceModel, i: number) =>
  choose(m.folders.keys(), [...folderPool, testId('fld', 99_999), 'fld_bad'], i);
const cameraRef = (m: ReferenceModel, i: number) => choose(m.cameras.keys(), cameraRefs, i);

const targetOf = fc.record({ actor: actorIndex, asOwner: fc.boolean(), target: index });

// --- account and camera --------------------------------------------------------

const registerUser = fc.record({ user: actorIndex, name: index }).map(
  ({ user, name }) =>
    new Step('account.register', (m) => {
      const userId = pick(users, user);
      const username = pick(usernames, name);
      return {
        command: 'account.register',
        actor: 'system',
        payload: { user_id: userId, username },
        prediction: m.register(userId, username),
      };
    }),
);

const addCredits = fc.record({ user: actorIndex, credits: fc.integer({ min: 1, max: 3 }) }).map(
  ({ user, credits }) =>
    new Step('account.add_credits', (m) => ({
      command: 'account.add_credits',
      actor: 'system',
      payload: { user_id: pick(users, user), credits },
      prediction: m.addCredits(pick(users, user), credits),
    })),
);

const registerCamera = fc.record({ camera: index, owner: actorIndex, capable: fc.boolean() }).map(
  ({ camera, owner, capable }) =>
    new Step('camera.register', (m) => {
      const cameraId = pick(cameraPool, camera);
      const ownerId = pick(users, owner);
      return {
        command: 'camera.register',
        actor: 'system',
        payload: {
          camera_id: cameraId,
          owner_id: ownerId,
          label: 'porch',
          live_view_capable: capable ? 1 : 0,
        },
        prediction: m.registerCamera(cameraId, ownerId, capable),
      };
    }),
);

const cameraLink = fc.record({ camera: index, connected: fc.boolean() }).map(
  ({ camera, connected }) =>
    new Step('camera link', (m) => {
      const cameraId = cameraRef(m, camera);
      return {
        command: connected ? 'camera.liveview_connected' : 'camera.liveview_disconnected',
        actor: 'system',
        payload: { camera_id: cameraId },
        prediction: m.liveViewLink(cameraId, connected),
      };
    }),
);

function cameraStep(command: 'camera.update' | 'camera.delete' | 'camera.start_liveview') {
  return targetOf.map(
    ({ actor, asOwner, target }) =>
      new Step(command, (m) => {
        const cameraId = cameraRef(m, target);
        const by = actorFor(m.cameras.get(cameraId)?.owner, asOwner, actor);
        const payload =
          command === 'camera.update' ? { camera_id: cameraId, label: 'gate' } : { camera_id: cameraId };
        const prediction =
          command === 'camera.update'
            ? m.updateCamera(by, cameraId)
            : command === 'camera.delete'
              ? m.deleteCamera(by, cameraId)
              : m.startLiveView(by, cameraId);
        return { command, actor: by, payload, prediction };
      }),
  );
}

// --- item ------------------------------------------------------------------------

const recordItem = fc
  .record({
    item: index,
    camera: index,
    frames: fc.subarray(frameIds, { minLength: 1 }),
  })
  .map(
    ({ item, camera, frames }) =>
      new Step('item.record', (m) => {
        const itemId = pick(itemPool, item);
        // Mostly a registered camera of the pool, sometimes an unknown or malformed one.
        const cameraId = cameraRef(m, camera);
        return {
          command: 'item.record',
          actor: 'system',
          payload: {
            item_id: itemId,
            camera_id: cameraId,
            start_datetime: '2026-01-01 10:00:00',
            end_datetime: '2026-01-01 10:00:05',
            is_alert: 0,
            frames: frames.map((identifier, i) => ({ identifier, datetime: `2026-01-01 10:00:0${i}` })),
          },
          prediction: m.record(itemId, cameraId, frames),
        };
      }),
  );

const updateItem = fc.record({ target: targetOf, flag: fc.boolean(), setFlag: fc.boolean() }).map(
  ({ target: { actor, asOwner, target }, flag, setFlag }) =>
    new Step('item.update / set_flag', (m) => {
      const itemId = itemRef(m, target);
      const by = actorFor(m.items.get(itemId)?.owner, asOwner, actor);
      return setFlag
        ? {
            command: 'item.set_flag',
            actor: by,
            payload: { item_id: itemId, flagged: flag ? 1 : 0 },
            prediction: m.updateItem(by, itemId, 13001),
          }
        : {
            command: 'item.update',
            actor: by,
            payload: { item_id: itemId, label: flag ? 'fox' : 'cat' },
            prediction: m.updateItem(by, itemId, 13000),
          };
    }),
);

function intoFolder(command: 'item.move' | 'item.copy' | 'item.save_snapshot') {
  return fc
    .record({
      target: targetOf,
      folder: index,
      frame: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.nat(frameIds.length)),
    })
    .map(
      ({ target: { actor, asOwner, target }, folder, frame }) =>
        new Step(command, (m) => {
          const itemId = itemRef(m, target);
          const by = actorFor(m.items.get(itemId)?.owner, asOwner, actor);
          // Half the time a folder of the actor's, when they have one.
          const own = [...m.folders.values()].filter((f) => f.owner === by).map((f) => f.id);
          const folderId = folder % 2 === 0 && own.length > 0 ? pick(own, folder >> 1) : folderRef(m, folder);
          if (command !== 'item.save_snapshot')
            return {
              command,
              actor: by,
              payload: { item_id: itemId, folder_id: folderId },
              prediction:
                command === 'item.move' ? m.moveItem(by, itemId, folderId) : m.copyItem(by, itemId, folderId),
            };
          const identifier = frame < frameIds.length ? pick(frameIds, frame) : strangeFrame;
          const prediction = m.saveSnapshot(by, itemId, folderId, identifier);
          return {
            command,
            actor: by,
            payload: { item_id: itemId, folder_id: folderId, identifier },
            prediction,
            // A frame already saved there answers with that snapshot, not a new one.
            alsoCheck: (d) => {
              if (d.ok && d.code === 13201) expect(prediction.existing).toContain(d.result.item_id);
            },
          };
        }),
    );
}

function itemTrash(command: 'item.delete' | 'item.restore') {
  return targetOf.map(
    ({ actor, asOwner, target }) =>
      new Step(command, (m) => {
        // Items in the trash first, so restore meets them often.
        const trashed = [...m.items.values()].filter((i) => i.status === 'trashed').map((i) => i.id);
        const itemId =
          target % 2 === 0 && trashed.length > 0 ? pick(trashed, target >> 1) : itemRef(m, target);
        const by = actorFor(m.items.get(itemId)?.owner, asOwner, actor);
        return {
          command,
          actor: by,
          payload: { item_id: itemId },
          prediction: command === 'item.delete' ? m.deleteItem(by, itemId) : m.restoreItem(by, itemId),
        };
      }),
  );
}

// --- folder ------------------------------------------------------------------------

/** A parent: the top level (0 or "0") or a folder id. */
function parentRef(m: ReferenceModel, i: number): string | null {
  return i % 3 === 0 ? null : folderRef(m, i);
}

const createFolder = fc
  .record({ actor: actorIndex, id: fc.option(index, { nil: undefined }), name: index, parent: index })
  .map(
    ({ actor, id, name, parent }) =>
      new Step('folder.create', (m) => {
        const by = pick(users, actor);
        const folderId = id === undefined ? undefined : pick(folderPool, id);
        const folderName = pick(folderNames, name);
        const parentId = parentRef(m, parent);
        return {
          command: 'folder.create',
          actor: by,
          payload: {
            ...(folderId === undefined ? {} : { folder_id: folderId }),
            name: folderName,
            parent_id: parentId ?? (parent % 2 === 0 ? 0 : '0'),
          },
          prediction: m.createFolder(by, folderId, folderName, parentId),
        };
      }),
  );

const renameFolder = fc.record({ target: targetOf, name: index }).map(
  ({ target: { actor, asOwner, target }, name }) =>
    new Step('folder.rename', (m) => {
      const folderId = folderRef(m, target);
      const by = actorFor(m.folders.get(folderId)?.owner, asOwner, actor);
      const folderName = pick(folderNames, name);
      return {
        command: 'folder.rename',
        actor: by,
        payload: { folder_id: folderId, name: folderName },
        prediction: m.renameFolder(by, folderId, folderName),
      };
    }),
);

const moveFolder = fc.record({ target: targetOf, parent: index }).map(
  ({ target: { actor, asOwner, target }, parent }) =>
    new Step('folder.move', (m) => {
      const folderId = folderRef(m, target);
      const by = actorFor(m.folders.get(folderId)?.owner, asOwner, actor);
      const parentId = parentRef(m, parent);
      return {
        command: 'folder.move',
        actor: by,
        payload: { folder_id: folderId, parent_id: parentId ?? 0 },
        prediction: m.moveFolder(by, folderId, parentId),
      };
    }),
);

const deleteFolder = targetOf.map(
  ({ actor, asOwner, target }) =>
    new Step('folder.delete', (m) => {
      const folderId = folderRef(m, target);
      const by = actorFor(m.folders.get(folderId)?.owner, asOwner, actor);
      return {
        command: 'folder.delete',
        actor: by,
        payload: { folder_id: folderId },
        prediction: m.deleteFolder(by, folderId),
      };
    }),
);

// --- the clock -----------------------------------------------------------------------

/**
 * Minutes, or days (past the 30-day window now and then), or to the very
 * edge of a trashed item's window: a millisecond before, at, or after it.
 */
const tick = fc
  .oneof(
    fc.record({ kind: fc.constant('minutes' as const), n: fc.integer({ min: 1, max: 120 }) }),
    fc.record({ kind: fc.constant('days' as const), n: fc.integer({ min: 1, max: 45 }) }),
    fc.record({ kind: fc.constant('edge' as const), n: fc.integer({ min: 0, max: 30 }) }),
  )
  .map(
    ({ kind, n }) =>
      new Tick(`tick ${kind} ${n}`, (m) => {
        if (kind === 'minutes') return m.now + n * 60_000;
        if (kind === 'days') return m.now + n * day;
        const trashed = [...m.items.values()].filter((i) => i.status === 'trashed');
        if (trashed.length === 0) return m.now;
        const item = pick(trashed, n);
        return item.trashedAt + m.retentionMs + ((n % 3) - 1);
      }),
  );

/** Users and cameras come and go: what the social steps need around them. */
export const accountAndCameraSteps = [
  registerUser,
  addCredits,
  registerCamera,
  cameraLink,
  cameraStep('camera.update'),
  cameraStep('camera.delete'),
  cameraStep('camera.start_liveview'),
];

/** Every step of the first issue, plus the clock. */
export const foundationSteps = [
  ...accountAndCameraSteps,
  ...Array(3).fill(recordItem),
  updateItem,
  ...Array(2).fill(intoFolder('item.move')),
  ...Array(2).fill(intoFolder('item.copy')),
  ...Array(3).fill(intoFolder('item.save_snapshot')),
  ...Array(2).fill(itemTrash('item.delete')),
  ...Array(2).fill(itemTrash('item.restore')),
  ...Array(3).fill(createFolder),
  renameFolder,
  ...Array(2).fill(moveFolder),
  deleteFolder,
  ...Array(2).fill(tick),
];

export { cameraPool };
