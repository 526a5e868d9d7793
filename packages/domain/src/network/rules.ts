import { z } from 'zod';
import { normalizeUsername, usernameAggregate } from '../account/index.ts';
import { type CameraState, cameraAggregate, liveCamera } from '../camera/index.ts';
import { isId, type Loaded, type Rejected, reject, type StateReader, streamName } from '../kernel/index.ts';
import { param } from '../validation/index.ts';
import { type NetworkType, networkTypes } from './events.ts';
import { initialNetwork, liveNetwork, type NetworkState, networkAggregate } from './state.ts';

// Rules several network commands share, each written once so that every
// command answers a given situation with the same code.

/**
 * 5000 for a network that is not there (never created, deleted, or an id of
 * the wrong form), then 5001 for a hidden one the actor is not a member of.
 * Every network command by a user starts here, so a non-member learns nothing
 * about a hidden network beyond "it is hidden from you" (5001), whatever a
 * member would have been told.
 */
export function gate(state: NetworkState, actor: string, networkId: string): Rejected | null {
  if (!liveNetwork(state)) return reject('NetworkNotFound', { network_id: networkId });
  if (state.type === 'hidden' && !state.members.has(actor))
    return reject('NetworkHidden', { network_id: networkId });
  return null;
}

/** gate, then 5003 unless the actor owns the network. */
export function ownerGate(state: NetworkState, actor: string, networkId: string): Rejected | null {
  return (
    gate(state, actor, networkId) ??
    (state.ownerId === actor ? null : reject('NotNetworkOwner', { network_id: networkId }))
  );
}

/**
 * Read a network by an id from a payload. An id of the wrong form never
 * becomes a stream name: it reads as a network that was never created (5000).
 */
export async function readNetwork(reader: StateReader, networkId: string): Promise<Loaded<NetworkState>> {
  if (isId('net', networkId)) return reader.read(networkAggregate, networkId);
  return { stream: streamName(networkAggregate.category, networkId), state: initialNetwork, revision: -1 };
}

// --- usernames -------------------------------------------------------------

// The account slice only ever reserves names of these characters; anything
// else cannot belong to anyone and must not become a stream name.
const possibleUsername = /^[a-z0-9_.-]{3,32}$/;

/** The user id a username belongs to, or null when nobody holds it. */
export async function resolveUsername(reader: StateReader, username: string): Promise<string | null> {
  const key = normalizeUsername(username);
  if (!possibleUsername.test(key)) return null;
  return (await reader.read(usernameAggregate, key)).state.owner;
}

// --- cameras brought into a network ---------------------------------------

/**
 * At most this many cameras per join: each is read before deciding, so the
 * list is bounded; a longer one answers 200 naming `cameras`.
 */
export const maxCamerasPerJoin = 50;

/** `cameras`: optional; each element may be anything, a malformed one answers 5411 in decide, not 128. */
export const camerasParam = () => param.list(z.unknown(), maxCamerasPerJoin).optional();

/** The states of the well-formed camera ids offered, keyed by id. */
export type OfferedCameras = Readonly<Record<string, CameraState>>;

export async function loadCameras(
  reader: StateReader,
  cameras: readonly unknown[] | undefined,
): Promise<OfferedCameras> {
  const ids = [...new Set((cameras ?? []).filter((c): c is string => isId('cam', c)))];
  const states = await Promise.all(ids.map((id) => reader.read(cameraAggregate, id)));
  return Object.fromEntries(ids.map((id, i) => [id, states[i]!.state]));
}

/** The payload of joining or asking to join: the network and the cameras brought along. */
export const networkWithCamerasPayload = z.object({ network_id: param.ref(), cameras: camerasParam() });

/** load, for join and request_join: the network and every well-formed camera offered. */
export async function loadNetworkWithCameras(
  p: z.output<typeof networkWithCamerasPayload>,
  _ctx: unknown,
  reader: StateReader,
): Promise<{ network: Loaded<NetworkState>; offered: OfferedCameras }> {
  return { network: await readNetwork(reader, p.network_id), offered: await loadCameras(reader, p.cameras) };
}

/**
 * The cameras a user brings, checked in the order of the contract's row:
 * 5401 (required, none given), 5410 (empty list), 5411 (malformed id), 5412
 * (unknown or deleted), 5413 (someone else's). Each code names the first
 * such camera in the client's list order. Accepted: the distinct ids, in
 * list order.
 */
export function checkCameras(
  cameras: readonly unknown[] | undefined,
  offered: OfferedCameras,
  actor: string,
  requiresCameras: boolean,
): Rejected | readonly string[] {
  if (cameras === undefined) return requiresCameras ? reject('CamerasRequired', { param: 'cameras' }) : [];
  if (cameras.length === 0) return reject('EmptyCameraList', { param: 'cameras' });
  const malformed = cameras.find((c) => !isId('cam', c));
  if (malformed !== undefined) return reject('InvalidCameraId', { camera_id: malformed });
  const ids = [...new Set(cameras as readonly string[])];
  const unknown = ids.find((id) => {
    const camera = offered[id];
    return camera === undefined || !liveCamera(camera);
  });
  if (unknown !== undefined) return reject('UnknownCameraId', { camera_id: unknown });
  const foreign = ids.find((id) => offered[id]?.ownerId !== actor);
  if (foreign !== undefined) return reject('CameraNotUsers', { camera_id: foreign });
  return ids;
}

export const isRejected = (value: unknown): value is Rejected =>
  typeof value === 'object' && value !== null && 'ok' in value && value.ok === false;

// --- the network type ------------------------------------------------------

/**
 * `type` is required on create but any value passes validation: a value
 * other than the three type names answers 5004 in decide, the code the
 * contract gives for a bad type, rather than the generic 128.
 */
export const typeParam = () =>
  z
    .unknown()
    .transform((value, ctx): unknown => {
      if (value === undefined || value === null)
        return param.fail(ctx, value, { failure: 'MissingParameter', reason: 'missing' });
      return value;
    })
    .meta({ enum: [...networkTypes] }) as unknown as z.ZodType<unknown, NetworkType>;

export const isNetworkType = (value: unknown): value is NetworkType =>
  networkTypes.includes(value as NetworkType);
