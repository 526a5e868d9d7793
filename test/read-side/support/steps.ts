import type { CamledgerClient } from '@camledger/client';
import { accepted, frameId } from '../../support/fixtures.ts';

// Commands the read-side tests start from, each asserting it was accepted.

export const send = async (
  client: CamledgerClient,
  name: string,
  actor: string,
  payload: Record<string, unknown>,
) => accepted(await client.send(name, payload, { actor }));

/** A clip starting at `start` (`yyyy-mm-dd hh:mm:ss`), with `frames` frames one second apart. */
export async function recordClipAt(
  client: CamledgerClient,
  cameraId: string,
  start: string,
  options: { frames?: number; isAlert?: boolean } = {},
): Promise<string> {
  const base = Date.parse(`${start.replace(' ', 'T')}Z`);
  const frames = options.frames ?? 2;
  const at = (s: number) => new Date(base + s * 1000).toISOString();
  const result = accepted(
    await client.item.record({
      camera_id: cameraId,
      start_datetime: at(0),
      end_datetime: at(frames),
      is_alert: options.isAlert ? 1 : 0,
      frames: Array.from({ length: frames }, (_, i) => ({
        identifier: frameId(i),
        datetime: at(i),
        milliseconds: i,
      })),
    }),
  );
  return result.item_id as string;
}

/**
 * A history that touches every projected event type: accounts and credits,
 * cameras updated and deleted, clips filed, copied, snapshotted, trashed,
 * restored and purged, folders renamed, moved and deleted with their items,
 * networks through their whole membership life, forum posts and private
 * messages. Returns the users it made.
 */
export async function varietyHistory(client: CamledgerClient, tag: string): Promise<string[]> {
  const register = async (name: string) =>
    accepted(await client.account.register({ username: `${tag}${name}`, display_name: name }))
      .user_id as string;
  const [ann, ben, cat] = [await register('ann'), await register('ben'), await register('cat')];
  await send(client, 'account.add_credits', 'system', { user_id: ann, credits: 5 });
  const cam = accepted(await client.camera.register({ owner_id: ann, label: 'Door', live_view_capable: 1 }))
    .camera_id as string;
  const cam2 = accepted(await client.camera.register({ owner_id: ben, label: 'Yard', live_view_capable: 0 }))
    .camera_id as string;
  await send(client, 'camera.update', ann, { camera_id: cam, label: 'door', latitude: 1.5, alerts: 1 });
  await send(client, 'camera.liveview_connected', 'system', { camera_id: cam });
  await send(client, 'camera.start_liveview', ann, { camera_id: cam });
  await send(client, 'camera.delete', ben, { camera_id: cam2 });

  const folder = async (name: string, parent: string | 0 = 0) =>
    (await send(client, 'folder.create', ann, { name, parent_id: parent })).folder_id as string;
  const home = await folder('Home');
  const sub = await folder('Sub', home);
  const doomed = await folder('Doomed');
  const inner = await folder('Inner', doomed);
  await send(client, 'folder.rename', ann, { folder_id: sub, name: 'SUB two' });
  await send(client, 'folder.move', ann, { folder_id: sub, parent_id: 0 });

  const clip = await recordClipAt(client, cam, '2026-04-01 10:00:00', { frames: 4 });
  const clip2 = await recordClipAt(client, cam, '2026-04-02 10:00:00', { frames: 2, isAlert: true });
  const clip3 = await recordClipAt(client, cam, '2026-04-03 10:00:00');
  await send(client, 'item.update', ann, { item_id: clip, label: 'front', note: 'a note' });
  await send(client, 'item.set_flag', ann, { item_id: clip, flagged: 1 });
  await send(client, 'item.move', ann, { item_id: clip, folder_id: home });
  await send(client, 'item.copy', ann, { item_id: clip, folder_id: sub });
  const snap = (
    await send(client, 'item.save_snapshot', ann, { item_id: clip, folder_id: sub, identifier: frameId(2) })
  ).item_id as string;
  await send(client, 'item.copy', ann, { item_id: snap, folder_id: home });
  await send(client, 'item.move', ann, { item_id: clip2, folder_id: inner });
  await send(client, 'item.delete', ann, { item_id: clip3 });
  await send(client, 'item.restore', ann, { item_id: clip3 });
  await send(client, 'item.delete', ann, { item_id: clip3 });
  await send(client, 'item.delete', ann, { item_id: clip3 });
  await send(client, 'folder.delete', ann, { folder_id: doomed });

  const net = (
    await send(client, 'network.create', ann, {
      name: `${tag} street`,
      type: 'private',
      requires_cameras: 0,
      description: 'd',
    })
  ).network_id as string;
  const gone = (
    await send(client, 'network.create', ben, {
      name: `${tag} gone`,
      type: 'public',
      requires_cameras: 0,
      description: '',
    })
  ).network_id as string;
  await send(client, 'network.update', ann, { network_id: net, name: `${tag} Street`, description: 'e' });
  await send(client, 'network.request_join', ben, { network_id: net });
  await send(client, 'network.approve_request', ann, { network_id: net, user_id: ben });
  await send(client, 'network.request_join', cat, { network_id: net });
  await send(client, 'network.decline_request', ann, { network_id: net, user_id: cat });
  const inv = (await send(client, 'network.invite', ben, { network_id: net, username: `${tag}cat` }))
    .invitation_id as string;
  await send(client, 'network.accept_invitation', cat, { invitation_id: inv });
  await send(client, 'network.leave', cat, { network_id: net });
  await send(client, 'network.invite', ann, { network_id: net, username: `${tag}cat` });
  await send(client, 'network.remove_member', ann, { network_id: net, username: `${tag}ben` });
  await send(client, 'network.update', ann, { network_id: net, type: 'hidden' });
  await send(client, 'network.join', ann, { network_id: gone });
  const thread = (
    await send(client, 'forum.post_message', ann, { network_id: net, subject: 'Hi', body: 'one' })
  ).thread_id as string;
  await send(client, 'forum.post_message', ann, { thread_id: thread, body: 'two' });
  await send(client, 'forum.post_message', ben, { network_id: gone, subject: 'Bye', body: 'x' });
  await send(client, 'network.delete', ben, { network_id: gone });
  const pm = (await send(client, 'message.send', ann, { to_username: `${tag}ben`, subject: 'S', body: 'b' }))
    .thread_id as string;
  await send(client, 'message.reply', ben, { thread_id: pm, body: 'r' });

  // The edge's credentials: a consumer with a live token and a revoked one,
  // and a consumer removed with its token.
  const consumer = async (name: string) =>
    (await send(client, 'auth.add_consumer', 'system', { name: `${tag} ${name}` })).consumer_key as string;
  const token = async (consumerKey: string, userId: string) =>
    (await send(client, 'auth.issue_token', 'system', { consumer_key: consumerKey, user_id: userId }))
      .token as string;
  const app = await consumer('app');
  const old = await consumer('old app');
  await token(app, ann);
  await send(client, 'auth.revoke_token', 'system', { token: await token(app, ben) });
  await token(old, cat);
  await send(client, 'auth.remove_consumer', 'system', { consumer_key: old });
  return [ann, ben, cat];
}
