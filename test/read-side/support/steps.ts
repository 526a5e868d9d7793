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
