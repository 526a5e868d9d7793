import { creatorTag } from '@camledger/domain';
import { type EventStore, memoryEventStore, type RecordedEvent } from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../output.ts';
import { capture, idOf, tamperedStore, user, write } from '../test-history.ts';
import { expectNamed, folderCreated, networkCreated, options, violationsOf } from './fixtures.ts';
import { invariantCount, runVerify } from './index.ts';

// One violating history per invariant kept within one stream, written
// straight into the store as a bug or a hand edit would leave it: verify must
// name the event. (The invariants across aggregates: across-aggregates.unit.spec.ts.)

const day = 24 * 60 * 60 * 1000;
const alice = user('A');
const bob = user('B');
const itm = idOf('itm', 1);
const fld = (n: number) => idOf('fld', n);
const net = idOf('net', 1);
const tree = `foldertree-${alice}`;

const recorded = (store: EventStore, owner = alice, occurredAt = '2026-01-01T00:00:00.000Z') =>
  write(
    store,
    `item-${itm}`,
    'ItemRecorded',
    {
      itemId: itm,
      cameraId: idOf('cam', 1),
      ownerId: owner,
      startDatetime: occurredAt,
      endDatetime: occurredAt,
      isAlert: false,
      frames: [{ identifier: 'f'.repeat(27), datetime: occurredAt, milliseconds: null }],
    },
    { actor: 'system', occurredAt },
  );

describe('audit verify', () => {
  it('passes, exit 0, on a history that keeps every rule', async () => {
    const store = memoryEventStore();
    await recorded(store);
    await folderCreated(store, alice, fld(1), 'Garden');
    const out = capture();
    expect(await runVerify(store, options, out)).toBe(exitCodes.ok);
    expect(out.lines).toEqual([`3 events checked against ${invariantCount} invariants: 0 violation(s)`]);
  });

  it('names a revision that skips one of its stream (revisions contiguous)', async () => {
    const meta = {
      commandId: 'c1',
      correlationId: 'c1',
      actor: 'system',
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
    };
    const base = { id: 'x', stream: tree, type: 'FolderCreated', metadata: meta, lastInAppend: true };
    const claim = (n: number, position: number): RecordedEvent => ({
      ...base,
      stream: `directory-${fld(n)}`,
      type: 'IdClaimed',
      revision: 0,
      position,
      data: { id: fld(n), kind: 'folder', owner: alice, container: alice },
    });
    // Each folder's claim first, as folder.create writes them.
    const events: RecordedEvent[] = [
      claim(1, 1),
      claim(2, 2),
      {
        ...base,
        revision: 0,
        position: 3,
        data: { folderId: fld(1), ownerId: alice, name: 'One', parentId: null },
      },
      {
        ...base,
        revision: 2,
        position: 4,
        data: { folderId: fld(2), ownerId: alice, name: 'Two', parentId: null },
      },
    ];
    const violations = await violationsOf(tamperedStore(events));
    expect(violations).toEqual([
      expect.objectContaining({
        invariant: 'revisionsContiguous',
        position: 4,
        revision: 2,
        commandId: 'c1',
        actor: 'system',
      }),
    ]);
  });

  it('names an event without an actor or a valid time (metadata complete)', async () => {
    const store = memoryEventStore();
    const bad = await write(
      store,
      tree,
      'FolderCreated',
      { folderId: fld(1), ownerId: alice, name: 'Garden', parentId: null },
      { actor: undefined as never, occurredAt: 'soon' },
    );
    const violations = await violationsOf(store);
    expectNamed(violations, 'metadataComplete', bad, null);
    expect(violations.find((v) => v.invariant === 'metadataComplete')?.message).toBe(
      'metadata lacks actor, occurredAt',
    );
  });

  it('names an event the domain cannot fold (foldable)', async () => {
    const store = memoryEventStore();
    await recorded(store);
    const odd = await write(store, `item-${itm}`, 'ItemTeleported', { itemId: itm }, { actor: alice });
    expectNamed(await violationsOf(store), 'foldable', odd, alice);
  });

  it('names a folder created with the name of a sibling, ignoring case and spaces (sibling names unique)', async () => {
    const store = memoryEventStore();
    await folderCreated(store, alice, fld(1), 'Garden');
    const twin = await folderCreated(store, alice, fld(2), ' garden');
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'siblingNamesUnique', twin, alice);
  });

  it('names the move that put a folder under its own child (folder tree acyclic)', async () => {
    const store = memoryEventStore();
    await folderCreated(store, alice, fld(1), 'Garden');
    await folderCreated(store, alice, fld(2), 'Foxes', fld(1));
    const loop = await write(
      store,
      tree,
      'FolderMoved',
      { folderId: fld(1), parentId: fld(2) },
      { actor: alice },
    );
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'folderTreeAcyclic', loop, alice);
  });

  it('names a restore at the instant the trash window closed (no restore after the window)', async () => {
    const store = memoryEventStore();
    await recorded(store);
    const trashedAt = '2026-01-02T00:00:00.000Z';
    await write(
      store,
      `item-${itm}`,
      'ItemTrashed',
      { itemId: itm, trashedAt, fromFolderId: null },
      { actor: alice, occurredAt: trashedAt },
    );
    const late = await write(
      store,
      `item-${itm}`,
      'ItemRestored',
      { itemId: itm, toFolderId: null },
      { actor: alice, occurredAt: new Date(Date.parse(trashedAt) + 30 * day).toISOString() },
    );
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'restoreWithinTrashWindow', late, alice);
  });

  it('accepts a restore one millisecond before the window closes', async () => {
    const store = memoryEventStore();
    await recorded(store);
    const trashedAt = '2026-01-02T00:00:00.000Z';
    await write(
      store,
      `item-${itm}`,
      'ItemTrashed',
      { itemId: itm, trashedAt, fromFolderId: null },
      { actor: alice, occurredAt: trashedAt },
    );
    await write(
      store,
      `item-${itm}`,
      'ItemRestored',
      { itemId: itm, toFolderId: null },
      { actor: alice, occurredAt: new Date(Date.parse(trashedAt) + 30 * day - 1).toISOString() },
    );
    expect(await violationsOf(store)).toEqual([]);
  });

  it('names an event by someone who does not own the item (actor owns the thing)', async () => {
    const store = memoryEventStore();
    await recorded(store);
    const intruder = await write(
      store,
      `item-${itm}`,
      'ItemFlagSet',
      { itemId: itm, flagged: true },
      { actor: bob },
    );
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'actorOwnsTarget', intruder, bob);
  });

  it('names a creator tag registered by someone other than its user (actor owns the thing)', async () => {
    const store = memoryEventStore();
    const forged = await write(
      store,
      `idtag-${creatorTag(alice)}`,
      'IdTagHeld',
      { tag: creatorTag(alice), userId: alice },
      { actor: bob },
    );
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'actorOwnsTarget', forged, bob);
  });

  it('names a direct join of a private network (network membership rules)', async () => {
    const store = memoryEventStore();
    await networkCreated(store, alice, net);
    const join = await write(
      store,
      `network-${net}`,
      'NetworkJoined',
      { networkId: net, userId: bob, cameras: [] },
      { actor: bob },
    );
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'networkMembershipRules', join, bob);
  });

  it('names a member who brought a camera that is not theirs (network membership rules)', async () => {
    const store = memoryEventStore();
    const cam = idOf('cam', 7);
    await write(
      store,
      `camera-${cam}`,
      'CameraRegistered',
      { cameraId: cam, ownerId: alice, label: '', liveViewCapable: false },
      { actor: 'system' },
    );
    await write(
      store,
      `network-${net}`,
      'NetworkCreated',
      {
        networkId: net,
        ownerId: alice,
        name: 'Street',
        type: 'public',
        requiresCameras: true,
        description: '',
      },
      { actor: alice },
    );
    const join = await write(
      store,
      `network-${net}`,
      'NetworkJoined',
      { networkId: net, userId: bob, cameras: [cam] },
      { actor: bob },
    );
    const violations = await violationsOf(store);
    expectNamed(violations, 'networkMembershipRules', join, bob);
    expect(violations[0]?.message).toBe(`${bob} brought cameras not theirs: ${cam}`);
  });

  it('names a reply in a private thread by someone not in it (actor owns the thing)', async () => {
    const store = memoryEventStore();
    const pmt = idOf('pmt', 1);
    const carol = user('C');
    await write(
      store,
      `privatethread-${pmt}`,
      'PrivateThreadStarted',
      { threadId: pmt, senderId: alice, recipientId: bob, subject: 'Hi', body: 'Hello' },
      { actor: alice },
    );
    await write(
      store,
      `privatethread-${pmt}`,
      'PrivateReplyPosted',
      { threadId: pmt, senderId: bob, body: 'Hi back' },
      { actor: bob },
    );
    const eavesdropper = await write(
      store,
      `privatethread-${pmt}`,
      'PrivateReplyPosted',
      { threadId: pmt, senderId: carol, body: 'Me too' },
      { actor: carol },
    );
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'actorOwnsTarget', eavesdropper, carol);
  });

  it('names a forum post by someone who is not a member of its network (actor owns the thing)', async () => {
    const store = memoryEventStore();
    const thr = idOf('thr', 1);
    await write(
      store,
      `network-${net}`,
      'NetworkCreated',
      {
        networkId: net,
        ownerId: alice,
        name: 'Street',
        type: 'public',
        requiresCameras: false,
        description: '',
      },
      { actor: alice },
    );
    await write(
      store,
      `forumthread-${thr}`,
      'ForumThreadStarted',
      { threadId: thr, networkId: net, authorId: alice, subject: 'Foxes', body: 'Seen one' },
      { actor: alice },
    );
    const outsider = await write(
      store,
      `forumthread-${thr}`,
      'ForumReplyPosted',
      { threadId: thr, networkId: net, authorId: bob, body: 'Me too' },
      { actor: bob },
    );
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'actorOwnsTarget', outsider, bob);
  });

  it('exits 1 and prints one line per violation naming position, stream, command and actor', async () => {
    const store = memoryEventStore();
    await recorded(store);
    const intruder = await write(
      store,
      `item-${itm}`,
      'ItemFlagSet',
      { itemId: itm, flagged: true },
      { actor: bob },
    );
    const out = capture();
    expect(await runVerify(store, options, out)).toBe(exitCodes.failed);
    expect(out.lines[1]).toBe(
      `actorOwnsTarget: ${intruder.position} item-${itm}@1 ItemFlagSet command ${intruder.commandId} actor ${bob}: actor ${bob} is not the owner (${alice})`,
    );
  });
});
