import { schemaVersionOf } from '@camledger/domain';
import type { EventToAppend } from '@camledger/event-store';
import { createRuntimeDeps } from '@camledger/runtime';
import { describe, expect, it } from 'vitest';
import { randomId } from '../support/ids.ts';
import { jetStreamShared, memoryShared, type SharedStore, sendThrough, sharedStoreOf } from './stores.ts';

// DOMAIN.md §3: folder.delete takes the folder with everything below it, at
// any size. One append must fit the store's payload limit (NATS max_payload,
// 1 MiB here; the memory store keeps the same limit). An event that listed
// every folder it took outgrew that at about 32,000 subfolders, and such a
// folder could never be deleted (200). Here a folder with 40,000 below it is
// deleted through the command path, and the whole subtree is gone.

const below = 40_000;
/** Folder events appended per write while seeding: well under the payload limit. */
const seedBatch = 2_000;

describe.each([
  ['memory', memoryShared],
  ['JetStream', () => jetStreamShared()],
] as const)('folder.delete of a very large subtree (%s store)', (_name, open: () => Promise<SharedStore>) => {
  const shared = sharedStoreOf(open);

  it('is accepted, and every folder below is gone', { timeout: 120_000 }, async () => {
    const deps = createRuntimeDeps({ store: shared.store, replies: shared.replies });
    const registered = await sendThrough(deps, 'internal', 'account.register', 'reg', 'system', {
      username: `big${Date.now().toString(36)}`,
    });
    if (!registered.ok) throw new Error(`not registered: ${registered.code}`);
    const actor = String(registered.result.user_id);
    const root = await sendThrough(deps, 'cmd', 'folder.create', 'root', actor, {
      name: 'Archive',
      parent_id: 0,
    });
    if (!root.ok || root.revision === undefined) throw new Error(`root not created: ${root.code}`);
    const rootId = String(root.result.folder_id);

    // The subtree is seeded straight into the tree's stream, as many
    // folder.create commands would have left it: two levels, so the fold
    // must follow parents to find them all.
    const stream = `foldertree-${actor}`;
    const middle = Array.from({ length: 100 }, () => randomId('fld'));
    const leaves = Array.from({ length: below - middle.length }, () => randomId('fld'));
    const created = (folderId: string, name: string, parentId: string): EventToAppend => ({
      id: crypto.randomUUID(),
      type: 'FolderCreated',
      data: { folderId, ownerId: actor, name, parentId },
      metadata: {
        commandId: `seed-${folderId}`,
        correlationId: 'seed',
        actor,
        occurredAt: new Date().toISOString(),
        schemaVersion: schemaVersionOf('FolderCreated'),
      },
    });
    const seeded = [
      ...middle.map((id, i) => created(id, `m${i}`, rootId)),
      ...leaves.map((id, i) => created(id, `l${i}`, middle[i % middle.length] as string)),
    ];
    let revision = root.revision;
    for (let i = 0; i < seeded.length; i += seedBatch) {
      const batch = seeded.slice(i, i + seedBatch);
      revision = (await shared.store.append(stream, batch, { expectedRevision: revision })).revision;
    }

    const deleted = await sendThrough(deps, 'cmd', 'folder.delete', 'del', actor, { folder_id: rootId });
    expect(deleted).toMatchObject({ ok: true, code: 14100, result: { folder_id: rootId } });

    // Another worker, with nothing in memory, folds the stream afresh.
    const fresh = createRuntimeDeps({ store: shared.store, replies: shared.replies });
    for (const [n, parent] of [middle[7], leaves[below - 101]].entries()) {
      const under = await sendThrough(fresh, 'cmd', 'folder.create', `under-${n}`, actor, {
        name: 'New',
        parent_id: parent as string,
      });
      expect(under).toMatchObject({ ok: false, code: 4100 });
    }
    const gone = await sendThrough(fresh, 'cmd', 'folder.delete', 'del-again', actor, {
      folder_id: leaves[0] as string,
    });
    expect(gone).toMatchObject({ ok: false, code: 4000 });
  });
});
