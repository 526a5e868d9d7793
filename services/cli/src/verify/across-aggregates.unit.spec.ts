import { generatedId } from '@camledger/domain';
import { memoryEventStore } from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../output.ts';
import { capture, idOf, user, write } from '../test-history.ts';
import {
  claimed,
  clipRecorded,
  expectNamed,
  folderCreated,
  folderWritten,
  frame,
  generatedFolderCreated,
  networkCreated,
  options,
  registered,
  tagRegistered,
  violationsOf,
} from './fixtures.ts';
import { invariantCount, parkedFollowUpsOf, runVerify } from './index.ts';

// What the domain promises across aggregates, each broken once by an event
// written straight into the store (as a race or a bug between two workers
// would leave it): verify names the event that broke it, and nothing else.

const alice = user('A');
const bob = user('B');
const fld = (n: number) => idOf('fld', n);
const account = `account-${alice}`;

const spend = (store: Parameters<typeof write>[0], credits: number, n: number) =>
  write(
    store,
    account,
    'LiveViewStarted',
    { sessionId: idOf('lvs', n), cameraId: idOf('cam', 1), credits },
    { actor: alice },
  );

/** Alice's network, and an invitation id for it. */
async function networkOf(store: Parameters<typeof write>[0]) {
  const net = idOf('net', 1);
  await networkCreated(store, alice, net);
  return { net, inv: idOf('inv', 1) };
}

/** network.invite's event, without the directory claim its follow-up writes. */
const invited = (store: Parameters<typeof write>[0], net: string, inv: string, invitee: string) =>
  write(
    store,
    `network-${net}`,
    'NetworkInvitationSent',
    { networkId: net, invitationId: inv, userId: invitee },
    { actor: alice },
  );

describe('credits never below zero', () => {
  it('names the first spend that takes the balance below zero, not a spend down to exactly zero', async () => {
    const store = memoryEventStore();
    await registered(store, alice, 'alice');
    await write(store, account, 'CreditsAdded', { credits: 2 }, { actor: 'system' });
    await spend(store, 1, 1);
    await spend(store, 1, 2); // down to exactly 0: allowed
    const overdraft = await spend(store, 1, 3);
    await spend(store, 1, 4); // still negative: the same fault, not named again
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'creditsNeverNegative', overdraft, alice);
    expect(violations[0]?.message).toBe(`account ${alice} has -1 credits after LiveViewStarted (had 0)`);
  });
});

describe('one account per username', () => {
  it('names a second account opened for a username another account holds, in other capitals', async () => {
    const store = memoryEventStore();
    await registered(store, alice, 'alice');
    const second = await write(
      store,
      `account-${bob}`,
      'AccountRegistered',
      { userId: bob, username: ' ALICE', displayName: '' },
      { actor: 'system' },
    );
    const violations = await violationsOf(store);
    expect(violations).toEqual([
      expect.objectContaining({ invariant: 'oneAccountPerUsername', stream: `account-${bob}` }),
    ]);
    expectNamed(violations, 'oneAccountPerUsername', second, 'system');
    expect(violations[0]?.message).toContain(`already belongs to account ${alice}`);
    expect(violations[0]?.message).toContain(`username-alice is reserved for ${alice}`);
  });

  it('names a reservation taken over by a second user', async () => {
    const store = memoryEventStore();
    await registered(store, alice, 'alice');
    const takeover = await write(
      store,
      'username-alice',
      'UsernameClaimed',
      { userId: bob, username: 'Alice', displayName: '' },
      { actor: 'system' },
    );
    const violations = await violationsOf(store);
    expectNamed(violations, 'oneAccountPerUsername', takeover, 'system');
  });

  it('names a reservation filed under a stream that is not the normalised name', async () => {
    const store = memoryEventStore();
    const misfiled = await write(
      store,
      'username-Alice',
      'UsernameClaimed',
      { userId: alice, username: 'Alice', displayName: '' },
      { actor: 'system' },
    );
    await write(
      store,
      account,
      'AccountRegistered',
      { userId: alice, username: 'Alice', displayName: '' },
      { actor: 'system' },
    );
    const violations = await violationsOf(store);
    expectNamed(violations, 'oneAccountPerUsername', misfiled, 'system');
  });
});

describe('one owner per id', () => {
  it('names a folder id present in two users’ trees', async () => {
    const store = memoryEventStore();
    await folderCreated(store, alice, fld(1), 'Garden');
    const twice = await folderWritten(store, bob, fld(1), 'Street');
    const violations = await violationsOf(store);
    expectNamed(violations, 'oneOwnerPerId', twice, bob);
    const messages = violations.filter((v) => v.invariant === 'oneOwnerPerId').map((v) => v.message);
    expect(messages).toEqual([
      `folder ${fld(1)} was already created at foldertree-${alice}@0; ${fld(1)} is claimed in the directory for ${alice} (in ${alice}), not ${bob} (in ${bob})`,
    ]);
  });

  it('names a directory claim for one user of a folder in another user’s tree', async () => {
    const store = memoryEventStore();
    await folderWritten(store, alice, fld(2), 'Garden');
    const foreign = await claimed(store, fld(2), bob);
    const violations = await violationsOf(store);
    expectNamed(violations, 'oneOwnerPerId', foreign, 'system');
  });

  it('names an account opened under another username than the one its user id was claimed for', async () => {
    const chosen = idOf('usr', 7);
    /** A log where `chosen` is claimed by a registration of "alice". */
    const claimedForAlice = async () => {
      const log = memoryEventStore();
      const data = { id: chosen, kind: 'account', owner: chosen, container: 'alice' };
      await write(log, `directory-${chosen}`, 'IdClaimed', data, { actor: 'system' });
      return log;
    };
    const store = await claimedForAlice();
    const { account } = await registered(store, chosen, 'Bobby');
    const violations = await violationsOf(store);
    expectNamed(violations, 'oneOwnerPerId', account, 'system');
    // Opened under the claimed name (any capitals), it is fine.
    const fine = await claimedForAlice();
    await registered(fine, chosen, 'Alice');
    expect((await violationsOf(fine)).filter((v) => v.invariant === 'oneOwnerPerId')).toEqual([]);
  });

  it('names a camera registered twice', async () => {
    const store = memoryEventStore();
    const cam = idOf('cam', 7);
    const registration = { cameraId: cam, ownerId: alice, label: '', liveViewCapable: false };
    await write(store, `camera-${cam}`, 'CameraRegistered', registration, { actor: 'system' });
    const again = await write(
      store,
      `camera-${cam}`,
      'CameraRegistered',
      { ...registration, ownerId: bob },
      { actor: 'system' },
    );
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'oneOwnerPerId', again, 'system');
  });

  it('names an item id created again as a copy in another stream', async () => {
    const store = memoryEventStore();
    const itm = idOf('itm', 1);
    await clipRecorded(store, itm, alice);
    await folderCreated(store, bob, fld(3), 'Mine');
    const copy = await write(
      store,
      `item-${idOf('itm', 2)}`,
      'ItemCopied',
      {
        itemId: itm,
        copiedFromItemId: itm,
        ownerId: bob,
        cameraId: idOf('cam', 1),
        kind: 'clip',
        folderId: fld(3),
        startDatetime: '2026-01-01T00:00:00.000Z',
        endDatetime: '2026-01-01T00:00:10.000Z',
        isAlert: false,
        frames: [frame(1)],
        label: '',
        note: '',
        flagged: false,
        snapshotOf: null,
      },
      { actor: bob },
    );
    const violations = await violationsOf(store);
    expectNamed(violations, 'oneOwnerPerId', copy, bob);
  });
  it('names an item moved into a folder of another user', async () => {
    const store = memoryEventStore();
    const itm = idOf('itm', 1);
    await clipRecorded(store, itm, alice);
    await folderCreated(store, bob, fld(4), 'Street');
    const moved = await write(
      store,
      `item-${itm}`,
      'ItemMoved',
      { itemId: itm, fromFolderId: null, toFolderId: fld(4) },
      { actor: alice },
    );
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'oneOwnerPerId', moved, alice);
    expect(violations[0]?.message).toBe(`item of ${alice} put in folder ${fld(4)} of ${bob}`);
  });
  it('names a folder created before its id was claimed in the directory', async () => {
    const store = memoryEventStore();
    const unclaimed = await folderWritten(store, alice, fld(1), 'Garden');
    await claimed(store, fld(1), alice);
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'oneOwnerPerId', unclaimed, alice);
    expect(violations[0]?.message).toBe(
      `folder ${fld(1)} was created before its id was claimed in the directory`,
    );
  });
  it('names a generated folder written before its owner registered the creator tag it carries', async () => {
    const store = memoryEventStore();
    const folderId = generatedId('fld', '0000000001', alice);
    const untagged = await folderWritten(store, alice, folderId, 'Garden');
    await tagRegistered(store, alice);
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'oneOwnerPerId', untagged, alice);
    expect(violations[0]?.message).toBe(
      `folder ${folderId} was created before ${alice}'s creator tag was registered`,
    );
  });

  it("names a generated folder in one user's tree that carries another user's tag", async () => {
    const store = memoryEventStore();
    await tagRegistered(store, alice);
    const bobs = generatedId('fld', '0000000002', bob);
    const misplaced = await folderWritten(store, alice, bobs, 'Garden');
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'oneOwnerPerId', misplaced, alice);
    expect(violations[0]?.message).toBe(`folder ${bobs} carries another creator's tag than ${alice}'s`);
  });

  it('names a directory claim of an invitation for someone other than its invitee', async () => {
    const store = memoryEventStore();
    const net = idOf('net', 1);
    const inv = idOf('inv', 1);
    const carol = user('C');
    await networkCreated(store, alice, net);
    await write(
      store,
      `network-${net}`,
      'NetworkInvitationSent',
      { networkId: net, invitationId: inv, userId: bob },
      { actor: alice },
    );
    const misdirected = await write(
      store,
      `directory-${inv}`,
      'IdClaimed',
      { id: inv, kind: 'invitation', owner: carol, container: net },
      { actor: 'system' },
    );
    const violations = await violationsOf(store);
    expectNamed(violations, 'oneOwnerPerId', misdirected, 'system');
    expect(violations.find((v) => v.invariant === 'oneOwnerPerId')?.message).toBe(
      `${inv} claimed for ${carol} (in ${net}) but belongs to ${bob} (in ${net})`,
    );
  });
});

describe('every follow-up is applied', () => {
  it('names a reservation whose account was never opened', async () => {
    const store = memoryEventStore();
    const orphan = await write(
      store,
      'username-alice',
      'UsernameClaimed',
      { userId: alice, username: 'alice', displayName: 'Alice' },
      { actor: 'system' },
    );
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'followUpsApplied', orphan, 'system');
    expect(violations[0]?.message).toContain('account.open');
    expect(violations[0]?.message).toContain(`account-${alice} lacks AccountRegistered`);
  });

  it('names a saved snapshot whose own item was never written, and passes once it is', async () => {
    const store = memoryEventStore();
    const clip = idOf('itm', 1);
    const snapshot = idOf('itm', 2);
    await clipRecorded(store, clip, alice);
    await folderCreated(store, alice, fld(1), 'Garden');
    const taken = await write(
      store,
      `item-${clip}`,
      'SnapshotTaken',
      {
        itemId: clip,
        snapshotItemId: snapshot,
        folderId: fld(1),
        identifier: frame(1).identifier,
        frame: frame(1),
      },
      { actor: alice },
    );
    const violations = await violationsOf(store);
    expect(violations).toHaveLength(1);
    expectNamed(violations, 'followUpsApplied', taken, alice);
    expect(violations[0]?.message).toContain(`item-${snapshot} lacks SnapshotItemCreated`);

    await write(
      store,
      `item-${snapshot}`,
      'SnapshotItemCreated',
      {
        itemId: snapshot,
        clipItemId: clip,
        identifier: frame(1).identifier,
        ownerId: alice,
        cameraId: idOf('cam', 1),
        folderId: fld(1),
        isAlert: false,
        frame: frame(1),
      },
      { actor: 'system' },
    );
    expect(await violationsOf(store)).toEqual([]);
  });

  it('names a follow-up the domain refuses: an invitation whose id the directory holds for someone else', async () => {
    const store = memoryEventStore();
    const { net, inv } = await networkOf(store);
    await write(
      store,
      `directory-${inv}`,
      'IdClaimed',
      { id: inv, kind: 'invitation', owner: user('C'), container: net },
      { actor: 'system' },
    );
    const sent = await invited(store, net, inv, bob);
    const violations = await violationsOf(store);
    expectNamed(violations, 'followUpsApplied', sent, alice);
    expect(violations.find((v) => v.invariant === 'followUpsApplied')?.message).toContain(
      'is refused by the domain: MissingParameter',
    );
  });

  it('reports a parked follow-up as a warning with its reason, and exits 0', async () => {
    const store = memoryEventStore();
    const orphan = await write(
      store,
      'username-alice',
      'UsernameClaimed',
      { userId: alice, username: 'alice', displayName: 'Alice' },
      { actor: 'system' },
    );
    const parked = [
      {
        originStream: orphan.stream,
        originRevision: orphan.revision,
        command: 'account.open',
        reason: 'store refused',
      },
    ];
    const out = capture();
    expect(await runVerify(store, { ...options, parked }, out)).toBe(exitCodes.ok);
    expect(out.lines).toEqual([
      `1 events checked against ${invariantCount} invariants: 0 violation(s), 1 warning(s)`,
      `warning followUpsApplied: ${orphan.position} username-alice@0 UsernameClaimed command ${orphan.commandId} actor system: account.open is parked: store refused`,
    ]);
  });
  it('reads a parked append of the work queue as parking every follow-up of its events', async () => {
    const store = memoryEventStore();
    const { net, inv } = await networkOf(store);
    const unclaimed = await invited(store, net, inv, bob);
    // As the queue's listParked() answers: the append's events and why it was given up.
    const parked = parkedFollowUpsOf([{ events: [unclaimed], reason: 'claimed by someone else' }]);
    const violations = await violationsOf(store, parked);
    expect(violations).toEqual([
      expect.objectContaining({
        invariant: 'followUpsApplied',
        severity: 'warning',
        stream: unclaimed.stream,
        revision: unclaimed.revision,
        message: 'directory.claim is parked: claimed by someone else',
      }),
    ]);
  });
});

describe('a history that keeps every promise across aggregates', () => {
  it('has no finding, exit 0', async () => {
    const store = memoryEventStore();
    await registered(store, alice, 'Alice');
    await registered(store, bob, 'bob');
    await write(store, account, 'CreditsAdded', { credits: 1 }, { actor: 'system' });
    await spend(store, 1, 1);
    await folderCreated(store, alice, fld(1), 'Garden');
    await folderCreated(store, bob, fld(2), 'Garden');
    await generatedFolderCreated(store, alice, 3, 'Shed');
    await generatedFolderCreated(store, bob, 4, 'Shed');
    await clipRecorded(store, idOf('itm', 1), alice);
    const out = capture();
    expect(await runVerify(store, options, out)).toBe(exitCodes.ok);
    expect(out.lines).toEqual([`15 events checked against ${invariantCount} invariants: 0 violation(s)`]);
  });
});
