import { describe, expect, it } from 'vitest';
import { creatorTag, type StateReader } from '../kernel/index.ts';
import {
  alice,
  bob,
  bobsFolder,
  clipId,
  folderDeleted,
  frameId,
  garden,
  moved,
  shed,
  trashed,
  unknownFolder,
  world,
} from '../testing/fixtures/item.ts';
import { generatedTestId, memoryReader, testContext } from '../testing/index.ts';
import {
  checkDestination,
  loadDestination,
  loadDestinationFor,
  loadItem,
  presence,
  readItem,
} from './access.ts';
import { saveSnapshot } from './commands/save-snapshot.ts';

// What the item commands read before deciding. Every read is a round trip to
// the store, and a user's command has no business reading another user's
// snapshots or folders when the answer is already "not yours" (3002), nor
// the store any business being asked for a stream named by a malformed id.
// A reader over the given histories that remembers which streams were read
// makes that visible.

function recordingReader(streams: Parameters<typeof memoryReader>[0]) {
  const inner = memoryReader(streams);
  const streamsRead: string[] = [];
  const reader: StateReader = {
    async read(aggregate, id) {
      const loaded = await inner.read(aggregate, id);
      streamsRead.push(loaded.stream);
      return loaded;
    },
  };
  return { reader, streamsRead };
}

const now = '2026-01-01T00:00:00.000Z';
const asAlice = testContext({ actor: alice });
const asBob = testContext({ actor: bob });
const treeOfAlice = `foldertree-${alice}`;

const withGardenDeleted = (history: ReturnType<typeof world>) => ({
  ...history,
  [treeOfAlice]: [...(history[treeOfAlice] ?? []), folderDeleted(garden)],
});

describe('presence: where an item is for everyone', () => {
  it('live in the inbox or a live folder, trashed in the trash, none when its folder is gone', async () => {
    const at = async (history: ReturnType<typeof world>) =>
      presence(await loadItem(memoryReader(history), clipId));
    expect(await at(world())).toBe('live');
    expect(await at(world(moved(garden)))).toBe('live');
    expect(await at(world(trashed(now)))).toBe('trashed');
    expect(await at(withGardenDeleted(world(moved(garden))))).toBe('none');
    expect(await at(withGardenDeleted(world(moved(garden), trashed(now, garden))))).toBe('trashed');
  });
});

describe('readItem', () => {
  it('a malformed id is not found without asking the store', async () => {
    const { reader, streamsRead } = recordingReader(world());
    const loaded = await readItem(reader, 'nope');
    expect(loaded).toMatchObject({ stream: 'item-nope', revision: -1, state: { status: 'absent' } });
    expect(streamsRead).toEqual([]);
  });

  it('a well-formed id is read from its stream', async () => {
    const { reader, streamsRead } = recordingReader(world());
    expect((await readItem(reader, clipId)).revision).toBe(0);
    expect(streamsRead).toEqual([`item-${clipId}`]);
  });
});

describe('loadDestination: whose the destination folder is', () => {
  const destination = async (folderId: string, history = world()) => {
    const { reader, streamsRead } = recordingReader(history);
    const actorTree = (await loadItem(memoryReader(history), clipId)).ownerTree;
    const loaded = await loadDestination(reader, actorTree, alice, folderId);
    return { loaded, streamsRead, answer: checkDestination(loaded) };
  };

  it("one of the actor's own live folders is decided from their tree alone", async () => {
    const { streamsRead, answer } = await destination(garden);
    expect(answer).toBeUndefined();
    expect(streamsRead).toEqual([]);
  });

  it('a malformed folder id is missing (3005) without reading the directory', async () => {
    const { streamsRead, answer } = await destination('0');
    expect(answer).toMatchObject({ ok: false, name: 'TargetFolderMissing', details: { folder_id: '0' } });
    expect(streamsRead).toEqual([]);
  });

  it('an id nobody claimed is missing (3005) after reading only its directory entry', async () => {
    const { streamsRead, answer } = await destination(unknownFolder);
    expect(answer).toMatchObject({ name: 'TargetFolderMissing', details: { folder_id: unknownFolder } });
    expect(streamsRead).toEqual([`directory-${unknownFolder}`]);
  });

  it("the actor's own deleted folder is missing (3005) without reading anything more", async () => {
    const { streamsRead, answer } = await destination(garden, withGardenDeleted(world()));
    expect(answer).toMatchObject({ name: 'TargetFolderMissing', details: { folder_id: garden } });
    expect(streamsRead).toEqual([]);
  });

  it("another user's generated folder is theirs (3004): the stream of its creator tag, then their tree", async () => {
    const bobsNew = generatedTestId('fld', 5, bob);
    const history = {
      ...world(),
      [`foldertree-${bob}`]: [
        { type: 'FolderCreated', data: { folderId: bobsNew, ownerId: bob, name: 'Porch', parentId: null } },
      ],
      [`idtag-${creatorTag(bob)}`]: [{ type: 'IdTagHeld', data: { tag: creatorTag(bob), userId: bob } }],
    };
    const { streamsRead, answer } = await destination(bobsNew, history as never);
    expect(answer).toMatchObject({ name: 'FolderNotUsers', details: { folder_id: bobsNew } });
    expect(streamsRead).toEqual([`idtag-${creatorTag(bob)}`, `foldertree-${bob}`]);
    // Not written yet anywhere: missing, and no directory entry is read for a generated id.
    const unwritten = await destination(generatedTestId('fld', 6, bob), history as never);
    expect(unwritten.answer).toMatchObject({ name: 'TargetFolderMissing' });
    expect(unwritten.streamsRead).toEqual([`idtag-${creatorTag(bob)}`, `foldertree-${bob}`]);
  });

  it("another user's live folder is theirs (3004): its entry, then their tree", async () => {
    const { streamsRead, answer } = await destination(bobsFolder);
    expect(answer).toMatchObject({ name: 'FolderNotUsers', details: { folder_id: bobsFolder } });
    expect(streamsRead).toEqual([`directory-${bobsFolder}`, `foldertree-${bob}`]);
  });
});

describe('loadDestinationFor: only the owner of the item gets that far', () => {
  it("another user's command reads no destination, and a missing destination is refused (3005)", async () => {
    const { reader, streamsRead } = recordingReader(world());
    const loaded = await loadItem(memoryReader(world()), clipId);
    const destination = await loadDestinationFor(reader, loaded, asBob, bobsFolder);
    expect(destination).toBeNull();
    expect(streamsRead).toEqual([]);
    // Fails closed: a command that skipped the owner check still could not file anything.
    expect(checkDestination(destination)).toMatchObject({
      ok: false,
      name: 'TargetFolderMissing',
      details: { folder_id: null },
    });
  });

  it("the owner's command reads the destination", async () => {
    const { reader, streamsRead } = recordingReader(world());
    const loaded = await loadItem(memoryReader(world()), clipId);
    await loadDestinationFor(reader, loaded, asAlice, bobsFolder);
    expect(streamsRead).toEqual([`directory-${bobsFolder}`, `foldertree-${bob}`]);
  });
});

describe("save_snapshot reads the clip's snapshots only for its owner", () => {
  const snapshotId = 'itm_00000000000000000000000900';
  const taken = {
    type: 'SnapshotTaken' as const,
    data: {
      itemId: clipId,
      snapshotItemId: snapshotId,
      folderId: garden,
      identifier: frameId(2),
      frame: { identifier: frameId(2), datetime: '2026-01-01T00:00:02.000Z', milliseconds: 200 },
    },
  };
  const payload = { item_id: clipId, folder_id: garden, identifier: frameId(2) };

  it('the owner: the clip, their tree and the snapshot already saved of that frame', async () => {
    const { reader, streamsRead } = recordingReader(world(taken));
    await saveSnapshot.load(payload, asAlice, reader);
    expect(streamsRead).toEqual([`item-${clipId}`, treeOfAlice, `item-${snapshotId}`]);
  });

  it('another user: the clip and its owner tree, nothing of its snapshots', async () => {
    const { reader, streamsRead } = recordingReader(world(taken));
    const loaded = await saveSnapshot.load({ ...payload, folder_id: bobsFolder }, asBob, reader);
    expect(streamsRead).toEqual([`item-${clipId}`, treeOfAlice]);
    expect(saveSnapshot.decide(payload, loaded, asBob)).toMatchObject({ ok: false, name: 'NotItemOwner' });
  });

  it('the owner into a folder of their own: no directory read', async () => {
    const { reader, streamsRead } = recordingReader(world());
    await saveSnapshot.load({ ...payload, folder_id: shed }, asAlice, reader);
    expect(streamsRead).toEqual([`item-${clipId}`, treeOfAlice]);
  });
});
