import { creatorTag } from '@camledger/domain';
import { type EventStore, memoryEventStore, type RecordedEvent } from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../output.ts';
import { capture, idOf, tamperedStore, user, write } from '../test-history.ts';
import {
  cameraRegistered,
  expectNamed,
  folderCreated,
  networkCreated,
  options,
  violationsOf,
} from './fixtures.ts';
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

const recorded = (store: EventStore, owner = alice, occurredAt = '2026-01-01T00:00:00.000Z', itemId = itm) =>
  write(
    store,
    `item-${itemId}`,
    'ItemRecorded',
    {
      itemId,
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
    // Folder n's command is cn: its claim and its folder, one command each.
    const by = (n: number) => ({ ...meta, commandId: `c${n}`, correlationId: `c${n}` });
    const claim = (n: number, position: number): RecordedEvent => ({
      ...base,
      metadata: by(n),
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
        metadata: by(2),
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
        commandId: 'c2',
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

  it('names an event without a command id, a correlation id, an ISO time or a valid schema version (metadata complete)', async () => {
    const store = memoryEventStore();
    const bad = await write(
      store,
      tree,
      'FolderCreated',
      { folderId: fld(1), ownerId: alice, name: 'Garden', parentId: null },
      // Date.parse reads this one, but it is not the ISO 8601 the runtime writes.
      { actor: alice, commandId: '', correlationId: '', occurredAt: '1 January 2026', schemaVersion: 0 },
    );
    const violations = (await violationsOf(store)).filter((v) => v.invariant === 'metadataComplete');
    expect(violations.map((v) => [v.position, v.message])).toEqual([
      [bad.position, 'metadata lacks commandId, correlationId, occurredAt, schemaVersion'],
    ]);
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

  it('lets a name freed by a move, a rename or a deletion be taken again, and names a folder moved back beside its twin', async () => {
    const store = memoryEventStore();
    await folderCreated(store, alice, fld(1), 'Garden');
    await folderCreated(store, alice, fld(2), 'Shed');
    await folderCreated(store, alice, fld(3), 'Pond');
    await write(store, tree, 'FolderMoved', { folderId: fld(1), parentId: fld(2) }, { actor: alice });
    await folderCreated(store, alice, fld(4), 'garden');
    await write(store, tree, 'FolderRenamed', { folderId: fld(3), name: 'Lawn' }, { actor: alice });
    await folderCreated(store, alice, fld(5), 'POND');
    await write(store, tree, 'FolderDeleted', { folderId: fld(5) }, { actor: alice });
    await folderCreated(store, alice, fld(6), 'Pond');
    expect(await violationsOf(store)).toEqual([]);

    const back = await write(
      store,
      tree,
      'FolderMoved',
      { folderId: fld(1), parentId: null },
      { actor: alice },
    );
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'siblingNamesUnique', back, alice);
    expect(violations[0]?.message).toBe(`folder ${fld(1)} is named "Garden" like its sibling ${fld(4)}`);
  });

  it('names a folder created or moved under a folder deleted or never created (folder parent live)', async () => {
    const store = memoryEventStore();
    await folderCreated(store, alice, fld(1), 'Garden');
    await folderCreated(store, alice, fld(2), 'Shed');
    await write(store, tree, 'FolderDeleted', { folderId: fld(1) }, { actor: alice });
    const underDeleted = await folderCreated(store, alice, fld(3), 'Gate', fld(1));
    const underNothing = await write(
      store,
      tree,
      'FolderMoved',
      { folderId: fld(2), parentId: fld(9) },
      { actor: alice },
    );
    const violations = await violationsOf(store);
    expect(violations.map((v) => v.invariant)).toEqual(['folderParentLive', 'folderParentLive']);
    expectNamed(violations, 'folderParentLive', underDeleted, alice);
    expectNamed(violations, 'folderParentLive', underNothing, alice);
    expect(violations.map((v) => v.message)).toEqual([
      `folder ${fld(3)} put under ${fld(1)}, deleted`,
      `folder ${fld(2)} put under ${fld(9)}, not a folder of this tree`,
    ]);
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

  it('names a restore of an item that was not in the trash (no restore after the window)', async () => {
    const store = memoryEventStore();
    await recorded(store);
    const never = await write(
      store,
      `item-${itm}`,
      'ItemRestored',
      { itemId: itm, toFolderId: null },
      { actor: alice, occurredAt: '2026-01-02T00:00:00.000Z' },
    );
    const violations = await violationsOf(store);
    expect(violations.map((v) => [v.invariant, v.message])).toEqual([
      ['restoreWithinTrashWindow', 'restored an item that was not in the trash'],
    ]);
    expectNamed(violations, 'restoreWithinTrashWindow', never, alice);
  });

  it('names a second trashing that would move the window on, and a trashedAt later than its event', async () => {
    const trashed = (trashedAt: string, occurredAt: string) =>
      write(
        store,
        `item-${itm}`,
        'ItemTrashed',
        { itemId: itm, trashedAt, fromFolderId: null },
        { actor: alice, occurredAt },
      );
    const store = memoryEventStore();
    await recorded(store);
    const t0 = Date.parse('2026-01-02T00:00:00.000Z');
    const iso = (ms: number) => new Date(ms).toISOString();
    await trashed(iso(t0), iso(t0));
    const again = await trashed(iso(t0 + 29 * day), iso(t0 + 29 * day));
    await write(
      store,
      `item-${itm}`,
      'ItemRestored',
      { itemId: itm, toFolderId: null },
      { actor: alice, occurredAt: iso(t0 + 40 * day) },
    );
    const violations = await violationsOf(store);
    expectNamed(violations, 'trashedOnceWhenSaid', again, alice);

    const forged = memoryEventStore();
    await recorded(forged);
    const lying = await write(
      forged,
      `item-${itm}`,
      'ItemTrashed',
      { itemId: itm, trashedAt: iso(t0 + 20 * day), fromFolderId: null },
      { actor: alice, occurredAt: iso(t0) },
    );
    expectNamed(await violationsOf(forged), 'trashedOnceWhenSaid', lying, alice);
  });

  it('names a command applied twice: the same command id appended twice to one stream, or to two', async () => {
    const store = memoryEventStore();
    await write(
      store,
      `account-${alice}`,
      'AccountRegistered',
      { userId: alice, username: 'alice', displayName: '' },
      { actor: 'system' },
    );
    const topUp = { actor: 'system', commandId: 'billing-42' };
    await write(
      store,
      `account-${alice}`,
      'CreditsAdded',
      { userId: alice, credits: 100 },
      { ...topUp, occurredAt: '2026-01-01T00:01:00.000Z' },
    );
    // An event in between with no readable time does not make the check forget the first.
    await write(
      store,
      `account-${alice}`,
      'CreditsAdded',
      { userId: alice, credits: 1 },
      { actor: 'system', commandId: 'billing-43', occurredAt: 'not a time' },
    );
    const twice = await write(
      store,
      `account-${alice}`,
      'CreditsAdded',
      { userId: alice, credits: 100 },
      { ...topUp, occurredAt: '2026-01-01T00:02:00.000Z' },
    );
    expectNamed(await violationsOf(store), 'appliedOnce', twice, 'system');

    const spread = memoryEventStore();
    await recorded(spread);
    const other = idOf('itm', 2);
    await recorded(spread, alice, undefined, other);
    await write(
      spread,
      `item-${itm}`,
      'ItemFlagSet',
      { itemId: itm, flagged: true },
      { actor: alice, commandId: 'k1' },
    );
    const second = await write(
      spread,
      `item-${other}`,
      'ItemFlagSet',
      { itemId: other, flagged: true },
      { actor: alice, commandId: 'k1' },
    );
    expectNamed(await violationsOf(spread), 'appliedOnce', second, alice);
  });

  it('reads an event with no schemaVersion as version 1, not as incomplete metadata', async () => {
    const store = memoryEventStore();
    await write(
      store,
      tree,
      'FolderCreated',
      { folderId: fld(1), ownerId: alice, name: 'Garden', parentId: null },
      { actor: alice, schemaVersion: undefined },
    );
    expect((await violationsOf(store)).map((v) => v.invariant)).not.toContain('metadataComplete');
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

  it('names credits a user added to their own account, and a clip they recorded themselves (internal by system)', async () => {
    const store = memoryEventStore();
    const topUp = await write(store, `account-${alice}`, 'CreditsAdded', { credits: 500 }, { actor: alice });
    await recorded(store);
    await write(store, `account-${alice}`, 'CreditsAdded', { credits: 5 }, { actor: 'system' });
    await write(store, `item-${itm}`, 'ItemFlagSet', { itemId: itm, flagged: true }, { actor: alice });
    expect((await violationsOf(store)).map((v) => v.invariant)).toEqual(['internalBySystem']);

    const at = '2026-01-01T00:00:00.000Z';
    const selfRecorded = await write(
      store,
      `item-${idOf('itm', 2)}`,
      'ItemRecorded',
      {
        itemId: idOf('itm', 2),
        cameraId: idOf('cam', 1),
        ownerId: alice,
        startDatetime: at,
        endDatetime: at,
        isAlert: false,
        frames: [{ identifier: 'f'.repeat(27), datetime: at, milliseconds: null }],
      },
      { actor: alice },
    );
    const violations = await violationsOf(store);
    expect(violations.map((v) => v.invariant)).toEqual(['internalBySystem', 'internalBySystem']);
    expectNamed(violations, 'internalBySystem', topUp, alice);
    expectNamed(violations, 'internalBySystem', selfRecorded, alice);
    expect(violations[0]?.message).toBe(
      `CreditsAdded is written by internal commands only, as system, not by ${alice}`,
    );
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

  it('names a join request by a member, and any request to a hidden network (network membership rules)', async () => {
    const store = memoryEventStore();
    await networkCreated(store, alice, net);
    const request = (networkId: string, userId: string) =>
      write(
        store,
        `network-${networkId}`,
        'NetworkJoinRequested',
        { networkId, userId, cameras: [] },
        { actor: userId },
      );
    await request(net, bob);
    expect(await violationsOf(store)).toEqual([]);
    const byOwner = await request(net, alice);
    const hidden = idOf('net', 2);
    await write(
      store,
      `network-${hidden}`,
      'NetworkCreated',
      {
        networkId: hidden,
        ownerId: alice,
        name: 'Attic',
        type: 'hidden',
        requiresCameras: false,
        description: '',
      },
      { actor: alice },
    );
    const toHidden = await request(hidden, bob);
    const violations = await violationsOf(store);
    expect(violations.map((v) => v.message)).toEqual([
      `${alice} was already a member`,
      `${bob} asked to join a hidden network`,
    ]);
    expectNamed(violations, 'networkMembershipRules', byOwner, alice);
    expectNamed(violations, 'networkMembershipRules', toHidden, bob);
  });

  it('names each membership step the network did not allow at that moment (network membership rules)', async () => {
    const store = memoryEventStore();
    const carol = user('C');
    const dave = user('D');
    const eve = user('E');
    await networkCreated(store, alice, net);
    const step = (type: string, data: Record<string, unknown>, actor: string, networkId = net) =>
      write(store, `network-${networkId}`, type, { networkId, ...data }, { actor });
    const approved = await step('NetworkJoinRequestApproved', { userId: bob, cameras: [] }, alice);
    const declined = await step('NetworkJoinRequestDeclined', { userId: carol }, alice);
    const invited = await step('NetworkInvitationSent', { invitationId: idOf('inv', 1), userId: bob }, alice);
    const accepted = await step(
      'NetworkInvitationAccepted',
      { invitationId: idOf('inv', 2), userId: carol, cameras: [] },
      carol,
    );
    const left = await step('NetworkLeft', { userId: dave }, dave);
    const withCameras = idOf('net', 2);
    await write(
      store,
      `network-${withCameras}`,
      'NetworkCreated',
      {
        networkId: withCameras,
        ownerId: alice,
        name: 'Lane',
        type: 'public',
        requiresCameras: true,
        description: '',
      },
      { actor: alice },
    );
    const empty = await step('NetworkJoined', { userId: eve, cameras: [] }, eve, withCameras);
    await step('NetworkDeleted', {}, alice);
    const afterDeletion = await step('NetworkLeft', { userId: bob }, bob);

    const found = (await violationsOf(store)).filter((v) => v.invariant === 'networkMembershipRules');
    expect(found.map((v) => v.message)).toEqual([
      `no pending request of ${bob} to approve`,
      `no pending request of ${carol} to decline`,
      `invited ${bob}, already a member`,
      `invitation ${idOf('inv', 2)} was not pending for ${carol}`,
      `${dave} was not a member`,
      `${eve} joined without cameras, which the network requires`,
      'NetworkLeft on a network that does not exist or was deleted',
    ]);
    for (const [at, actor] of [
      [approved, alice],
      [declined, alice],
      [invited, alice],
      [accepted, carol],
      [left, dave],
      [empty, eve],
      [afterDeletion, bob],
    ] as const)
      expectNamed(found, 'networkMembershipRules', at, actor);
  });

  it('names an update that changes more than details: an owner, a deletion, an unknown type (updates change details only)', async () => {
    const store = memoryEventStore();
    await networkCreated(store, alice, net);
    const update = (changes: Record<string, unknown>) =>
      write(store, `network-${net}`, 'NetworkUpdated', { networkId: net, changes }, { actor: alice });
    await update({ name: 'Lane', type: 'public', requiresCameras: true, description: 'quiet' });
    const cam = idOf('cam', 3);
    await cameraRegistered(store, cam, alice);
    await write(
      store,
      `camera-${cam}`,
      'CameraUpdated',
      { cameraId: cam, changes: { label: 'Porch', publicLabel: 'Front', latitude: 51.5 } },
      { actor: alice },
    );
    expect(await violationsOf(store)).toEqual([]);

    const handedOver = await update({ name: 'Mine now', ownerId: bob });
    const badType = await update({ type: 'secret' });
    const notBoolean = await update({ requiresCameras: 'yes' });
    const notText = await update({ description: 7 });
    const cameraTaken = await write(
      store,
      `camera-${cam}`,
      'CameraUpdated',
      { cameraId: cam, changes: { ownerId: bob, deleted: false } },
      { actor: alice },
    );
    const found = (await violationsOf(store)).filter((v) => v.invariant === 'updatesChangeDetailsOnly');
    expect(found.map((v) => v.message)).toEqual([
      'changes ownerId, not details of a network',
      'changes the type to secret',
      'changes requiresCameras to a value that is not true or false',
      'changes description to a value that is not text',
      'changes ownerId, deleted, not details of a camera',
    ]);
    expectNamed(found, 'updatesChangeDetailsOnly', notBoolean, alice);
    expectNamed(found, 'updatesChangeDetailsOnly', notText, alice);
    expectNamed(found, 'updatesChangeDetailsOnly', handedOver, alice);
    expectNamed(found, 'updatesChangeDetailsOnly', badType, alice);
    expectNamed(found, 'updatesChangeDetailsOnly', cameraTaken, alice);
  });

  it('names a private thread someone started with themselves (messages between two)', async () => {
    const store = memoryEventStore();
    const thread = (n: number, recipientId: string) =>
      write(
        store,
        `privatethread-${idOf('pmt', n + 10)}`,
        'PrivateThreadStarted',
        { threadId: idOf('pmt', n + 10), senderId: alice, recipientId, subject: 'hi', body: 'hello' },
        { actor: alice },
      );
    await thread(1, bob);
    const toSelf = await thread(2, alice);
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'messagesBetweenTwo', toSelf, alice);
  });

  it('names a member who brought a camera that is not theirs (network membership rules)', async () => {
    const store = memoryEventStore();
    const cam = idOf('cam', 7);
    await cameraRegistered(store, cam, alice);
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

  it('names a forum reply filed under another network than its thread, or to a thread never started (forum reply in its thread)', async () => {
    const store = memoryEventStore();
    const [street, park] = [net, idOf('net', 2)];
    for (const [networkId, ownerId] of [
      [street, alice],
      [park, bob],
    ] as const)
      await write(
        store,
        `network-${networkId}`,
        'NetworkCreated',
        { networkId, ownerId, name: networkId, type: 'public', requiresCameras: false, description: '' },
        { actor: ownerId },
      );
    const thr = idOf('thr', 1);
    await write(
      store,
      `forumthread-${thr}`,
      'ForumThreadStarted',
      { threadId: thr, networkId: street, authorId: alice, subject: 'Foxes', body: 'Seen one' },
      { actor: alice },
    );
    await write(
      store,
      `forumthread-${thr}`,
      'ForumReplyPosted',
      { threadId: thr, networkId: street, authorId: alice, body: 'Two now' },
      { actor: alice },
    );
    expect(await violationsOf(store)).toEqual([]);
    // Bob is a member of his own network only: as its reply, it passes the membership rule.
    const misfiled = await write(
      store,
      `forumthread-${thr}`,
      'ForumReplyPosted',
      { threadId: thr, networkId: park, authorId: bob, body: 'Me too' },
      { actor: bob },
    );
    const unstarted = idOf('thr', 2);
    const orphan = await write(
      store,
      `forumthread-${unstarted}`,
      'ForumReplyPosted',
      { threadId: unstarted, networkId: street, authorId: alice, body: 'Hello?' },
      { actor: alice },
    );
    const violations = await violationsOf(store);
    expect(violations.map((v) => [v.invariant, v.message])).toEqual([
      ['forumReplyInItsThread', `a reply filed under network ${park}, in a thread of network ${street}`],
      ['forumReplyInItsThread', 'a reply to a thread that was never started'],
    ]);
    expectNamed(violations, 'forumReplyInItsThread', misfiled, bob);
    expectNamed(violations, 'forumReplyInItsThread', orphan, alice);
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
