import { readStoreKinds } from '@camledger/read-model/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCamera, registerNamedUser } from '../support/fixtures.ts';
import { type ReadSide, startReadSide } from './support/read-side.ts';

describe.each(readStoreKinds)('read side on %s', (kind) => {
  let side: ReadSide;
  beforeAll(async () => {
    side = await startReadSide(kind);
  });
  afterAll(() => side?.stop());

  it('a registered user sees their account and camera', async () => {
    const user = await registerNamedUser(side.tw.client);
    const camera = await registerCamera(side.tw.client, user.id);
    const account = await side.ask('account.get', user.id);
    expect(account).toMatchObject({
      ok: true,
      code: 10000,
      result: { user_id: user.id, username: user.name, credits: 0 },
    });
    expect(await side.ask('camera.get', user.id, { camera_id: camera })).toMatchObject({
      ok: true,
      result: { camera_id: camera, label: 'porch', live_view_capable: false },
    });
  });
});
