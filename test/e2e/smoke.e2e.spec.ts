import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFolder, registerUser } from '../support/fixtures.ts';
import { startTestWorker, type TestWorker } from '../support/test-worker.ts';

describe('a worker on the memory store', () => {
  let w: TestWorker;
  beforeAll(async () => {
    w = await startTestWorker({ store: 'memory' });
  });
  afterAll(() => w.stop());

  it('registers a user who can then create a folder', async () => {
    const actor = await registerUser(w.client);
    const folderId = await createFolder(w.client, actor, 'Garden');
    expect(folderId).toMatch(/^fld_[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
    const again = await w.client.folder.create({ name: ' garden ', parent_id: 0 }, { actor });
    expect(again).toMatchObject({ ok: false, code: 4005, error: 'NameTakenOnCreate' });
  });
});
