import type { CamledgerClient, Outcome } from '@camledger/client';
import { expect } from 'vitest';

// Small steps most end-to-end tests start with, each asserting it worked so
// a broken fixture fails where it breaks rather than three steps later.

let counter = 0;
const unique = (stem: string) => `${stem}${Date.now().toString(36)}${(counter++).toString(36)}`;

export function accepted(outcome: Outcome): Record<string, string> {
  expect(outcome, JSON.stringify(outcome)).toMatchObject({ ok: true });
  return outcome.ok ? outcome.result : {};
}

export interface NamedUser {
  readonly id: string;
  readonly name: string;
}

/** A new user, with the username the test needs where commands take usernames (invite, message.send). */
export async function registerNamedUser(client: CamledgerClient, stem = 'user'): Promise<NamedUser> {
  const name = unique(stem);
  const result = accepted(await client.account.register({ username: name }));
  return { id: result.user_id as string, name };
}

export async function registerUser(client: CamledgerClient, username?: string): Promise<string> {
  if (username === undefined) return (await registerNamedUser(client)).id;
  const result = accepted(await client.account.register({ username }));
  return result.user_id as string;
}

export async function registerCamera(
  client: CamledgerClient,
  ownerId: string,
  options: { liveViewCapable?: boolean } = {},
): Promise<string> {
  const result = accepted(
    await client.camera.register({
      owner_id: ownerId,
      label: 'porch',
      live_view_capable: options.liveViewCapable ? 1 : 0,
    }),
  );
  return result.camera_id as string;
}

export const frameId = (n: number) => `frame-${String(n).padStart(24, '0')}`;

export async function recordClip(client: CamledgerClient, cameraId: string, frames = 3): Promise<string> {
  const result = accepted(
    await client.item.record({
      camera_id: cameraId,
      start_datetime: '2026-01-01 10:00:00',
      end_datetime: '2026-01-01 10:00:05',
      is_alert: 0,
      frames: Array.from({ length: frames }, (_, i) => ({
        identifier: frameId(i),
        datetime: `2026-01-01 10:00:0${String(i)}`,
      })),
    }),
  );
  return result.item_id as string;
}

export async function createFolder(
  client: CamledgerClient,
  actor: string,
  name: string,
  parentId: string | 0 = 0,
) {
  const result = accepted(await client.folder.create({ name, parent_id: parentId }, { actor }));
  return result.folder_id as string;
}

export type NetworkType = 'public' | 'private' | 'hidden';

export async function createNetwork(
  client: CamledgerClient,
  ownerId: string,
  type: NetworkType,
  options: { requiresCameras?: boolean } = {},
): Promise<string> {
  const result = accepted(
    await client.network.create(
      { name: `Street ${type}`, type, requires_cameras: options.requiresCameras ? 1 : 0, description: '' },
      { actor: ownerId },
    ),
  );
  return result.network_id as string;
}
