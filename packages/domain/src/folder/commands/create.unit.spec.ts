import { specFor } from '@camledger/testing';
import { describe, expect, it } from 'vitest';
import {
  alice,
  bob,
  claimed,
  created,
  deleted,
  directoryOf,
  fld,
  newFld,
  tagHeld,
  tagOf,
  treeOf,
} from '../../testing/fixtures/folder.ts';
import { testId } from '../../testing/index.ts';
import { createFolder } from './create.ts';

const given = specFor([createFolder]);
const firstNewFolder = newFld(900);

describe('folder.create on an empty tree', () => {
  it('creates a top-level folder with parent_id 0 and answers its new id and name', () =>
    given()
      .when('folder.create', { name: 'Garden', parent_id: 0 })
      .thenAccepts('Ok', {
        stream: treeOf(alice),
        events: [created(firstNewFolder, 'Garden')],
        result: { folder_id: firstNewFolder, name: 'Garden' },
      }));

  it('takes parent_id "0" as the top level too', () =>
    given()
      .when('folder.create', { name: 'Garden', parent_id: '0' })
      .thenAccepts('Ok', { events: [created(firstNewFolder, 'Garden')] }));

  it('keeps the id the client chose', () =>
    given()
      .when('folder.create', { folder_id: fld(1), name: 'Garden', parent_id: 0 })
      .thenAccepts('Ok', {
        events: [created(fld(1), 'Garden')],
        result: { folder_id: fld(1), name: 'Garden' },
      }));

  it('stores the name trimmed and NFC-normalised', () =>
    given()
      .when('folder.create', { name: '  Cafe\u0301 ', parent_id: 0 })
      .thenAccepts('Ok', {
        events: [created(firstNewFolder, 'Caf\u00e9')],
        result: { folder_id: firstNewFolder, name: 'Caf\u00e9' },
      }));
});

describe('folder.create payload', () => {
  it('answers 128 without a name', () =>
    given().when('folder.create', { parent_id: 0 }).thenRejects('MissingParameter', { param: 'name' }));

  it('answers 128 without a parent_id', () =>
    given()
      .when('folder.create', { name: 'Garden' })
      .thenRejects('MissingParameter', { param: 'parent_id' }));

  it('answers 192 for a name shorter than 3 characters once trimmed', () =>
    given()
      .when('folder.create', { name: '  ab  ', parent_id: 0 })
      .thenRejects('StringTooShort', { param: 'name', limit: 3 }));

  it('answers 200 for a name longer than 64 characters', () =>
    given()
      .when('folder.create', { name: 'x'.repeat(65), parent_id: 0 })
      .thenRejects('StringTooLong', { param: 'name', limit: 64 }));

  it('accepts a name of exactly 64 characters', () =>
    given()
      .when('folder.create', { name: 'x'.repeat(64), parent_id: 0 })
      .thenAccepts('Ok', { events: [created(firstNewFolder, 'x'.repeat(64))] }));

  it('answers 128 for a client-chosen folder_id that is not fld_ and a ULID', () =>
    given()
      .when('folder.create', { folder_id: 'fld_nope', name: 'Garden', parent_id: 0 })
      .thenRejects('MissingParameter', { param: 'folder_id' }));
});

describe('folder.create with a client-chosen id already in use', () => {
  const tree = { [treeOf(alice)]: [created(fld(1), 'Garden')] };

  it('sending the same creation again answers 10000 and records nothing new', () =>
    given(tree)
      .when('folder.create', { folder_id: fld(1), name: ' Garden ', parent_id: 0 })
      .thenAccepts('Ok', { events: [], result: { folder_id: fld(1), name: 'Garden' } }));

  it('the same id with another name answers 128 on folder_id', () =>
    given(tree)
      .when('folder.create', { folder_id: fld(1), name: 'Shed', parent_id: 0 })
      .thenRejects('MissingParameter', { param: 'folder_id', reason: 'already used' }));

  it('the same id under another parent answers 128 on folder_id', () =>
    given({ [treeOf(alice)]: [created(fld(1), 'Garden'), created(fld(2), 'Shed')] })
      .when('folder.create', { folder_id: fld(1), name: 'Garden', parent_id: fld(2) })
      .thenRejects('MissingParameter', { param: 'folder_id' }));

  it('the id of a deleted folder is not reused: 128 on folder_id', () =>
    given({ [treeOf(alice)]: [created(fld(1), 'Garden'), deleted(fld(1))] })
      .when('folder.create', { folder_id: fld(1), name: 'Garden', parent_id: 0 })
      .thenRejects('MissingParameter', { param: 'folder_id' }));

  it("the id of another user's folder answers 128 on folder_id", () =>
    given({
      [treeOf(bob)]: [created(fld(1), 'Garden', null, bob)],
      [directoryOf(fld(1))]: [claimed(fld(1), bob)],
    })
      .when('folder.create', { folder_id: fld(1), name: 'Garden', parent_id: 0 })
      .thenRejects('MissingParameter', { param: 'folder_id' }));
});

describe('folder.create claims a client-chosen id before it writes the tree', () => {
  it('given a free id, it claims directory-<id> first, then writes the tree', async () => {
    const when = given().when('folder.create', { folder_id: fld(1), name: 'Garden', parent_id: 0 });
    const decision = await when.thenAccepts('Ok', {
      stream: treeOf(alice),
      events: [created(fld(1), 'Garden')],
    });
    expect(decision.ok && decision.reservations).toEqual([
      { stream: directoryOf(fld(1)), events: [claimed(fld(1), alice)], expectedRevision: -1 },
    ]);
    // The claim is stored before the folder.
    expect((await when.stored()).map((s) => `${s.stream} ${s.event.type}`)).toEqual([
      `${directoryOf(fld(1))} IdClaimed`,
      `${treeOf(alice)} FolderCreated`,
    ]);
  });

  it('a client-chosen id carrying the generated mark is 128 unless the folder is in her own tree', async () => {
    const bobsGenerated = newFld(5, bob);
    await given({
      [treeOf(bob)]: [created(bobsGenerated, 'Garden', null, bob)],
      [tagOf(bob)]: [tagHeld(bob)],
    })
      .when('folder.create', { folder_id: bobsGenerated, name: 'Garden', parent_id: 0 })
      .thenRejects('MissingParameter', { param: 'folder_id', reason: 'already used' });
    // Nobody's yet, and still refused: generated ids are never a client's to take.
    const when = given().when('folder.create', { folder_id: newFld(6, bob), name: 'Garden', parent_id: 0 });
    await when.thenRejects('MissingParameter', { param: 'folder_id', reason: 'already used' });
    expect(await when.stored()).toEqual([]);
    // Her own, sent again as it was: it already happened.
    await given({ [treeOf(alice)]: [created(newFld(7), 'Garden')], [tagOf(alice)]: [tagHeld(alice)] })
      .when('folder.create', { folder_id: newFld(7), name: 'Garden', parent_id: 0 })
      .thenAccepts('Ok', { events: [], result: { folder_id: newFld(7), name: 'Garden' } });
  });
  it('given its own claim but no folder yet (a crash between claim and tree), it writes the folder and claims nothing again', async () => {
    const when = given({ [directoryOf(fld(1))]: [claimed(fld(1), alice)] }).when('folder.create', {
      folder_id: fld(1),
      name: 'Garden',
      parent_id: 0,
    });
    const decision = await when.thenAccepts('Ok', { events: [created(fld(1), 'Garden')] });
    expect(decision.ok && decision.reservations).toBeUndefined();
    expect((await when.stored()).map((s) => s.stream)).toEqual([treeOf(alice)]);
  });

  it("given another user's claim with no folder written yet, it answers 128 and writes nothing", async () => {
    const when = given({ [directoryOf(fld(1))]: [claimed(fld(1), bob)] }).when('folder.create', {
      folder_id: fld(1),
      name: 'Garden',
      parent_id: 0,
    });
    await when.thenRejects('MissingParameter', { param: 'folder_id', reason: 'already used' });
    expect(await when.stored()).toEqual([]);
  });

  it('given an invitation claimed under that id, it answers 128', () =>
    given({
      [directoryOf(fld(1))]: [
        { type: 'IdClaimed', data: { id: fld(1), kind: 'invitation', owner: alice, container: alice } },
      ],
    })
      .when('folder.create', { folder_id: fld(1), name: 'Garden', parent_id: 0 })
      .thenRejects('MissingParameter', { param: 'folder_id' }));

  it('a rejected creation claims nothing', async () => {
    const when = given({ [treeOf(alice)]: [created(fld(2), 'Garden')] }).when('folder.create', {
      folder_id: fld(1),
      name: 'garden',
      parent_id: 0,
    });
    await when.thenRejects('NameTakenOnCreate');
    expect(await when.stored()).toEqual([]);
  });
});

describe('folder.create without a folder_id', () => {
  it("claims no id: the user's first registers her creator tag before the tree write", async () => {
    const when = given().when('folder.create', { name: 'Garden', parent_id: 0 });
    const decision = await when.thenAccepts('Ok', { events: [created(firstNewFolder, 'Garden')] });
    expect(decision.ok && decision.reservations).toEqual([
      { stream: tagOf(alice), events: [tagHeld(alice)], expectedRevision: -1 },
    ]);
    expect((await when.stored()).map((s) => `${s.stream} ${s.event.type}`)).toEqual([
      `${tagOf(alice)} IdTagHeld`,
      `${treeOf(alice)} FolderCreated`,
    ]);
  });

  it('writes the tree alone once her tree holds a generated folder', async () => {
    const when = given({
      [treeOf(alice)]: [created(newFld(5), 'Shed')],
      [tagOf(alice)]: [tagHeld(alice)],
    }).when('folder.create', { name: 'Garden', parent_id: 0 });
    const decision = await when.thenAccepts('Ok', { events: [created(firstNewFolder, 'Garden')] });
    expect(decision.ok && decision.reservations).toBeUndefined();
    expect((await when.stored()).map((s) => s.stream)).toEqual([treeOf(alice)]);
  });

  it('writes the tree alone when her tag is registered but no generated folder was written (a crash between)', async () => {
    const when = given({ [tagOf(alice)]: [tagHeld(alice)] }).when('folder.create', {
      name: 'Garden',
      parent_id: 0,
    });
    const decision = await when.thenAccepts('Ok', { events: [created(firstNewFolder, 'Garden')] });
    expect(decision.ok && decision.reservations).toBeUndefined();
  });

  it("joins another user's registration of the same tag at its revision (40-bit tags can collide)", async () => {
    const collider = { type: 'IdTagHeld', data: { tag: tagHeld(alice).data.tag, userId: bob } } as const;
    const when = given({ [tagOf(alice)]: [collider] }).when('folder.create', {
      name: 'Garden',
      parent_id: 0,
    });
    const decision = await when.thenAccepts('Ok', { events: [created(firstNewFolder, 'Garden')] });
    expect(decision.ok && decision.reservations).toEqual([
      { stream: tagOf(alice), events: [tagHeld(alice)], expectedRevision: 0 },
    ]);
  });
});

describe('folder.create under a parent', () => {
  it('creates a subfolder of one of my folders', () =>
    given({ [treeOf(alice)]: [created(fld(1), 'Garden')] })
      .when('folder.create', { name: 'Gate', parent_id: fld(1) })
      .thenAccepts('Ok', { events: [created(firstNewFolder, 'Gate', fld(1))] }));

  it('answers 4100 when the parent does not exist', () =>
    given()
      .when('folder.create', { name: 'Gate', parent_id: fld(7) })
      .thenRejects('ParentFolderMissing'));

  it('answers 4100 when the parent id is not even of the folder form', () =>
    given().when('folder.create', { name: 'Gate', parent_id: 'garden' }).thenRejects('ParentFolderMissing'));

  it('answers 4100 when the parent was deleted', () =>
    given({ [treeOf(alice)]: [created(fld(1), 'Garden'), deleted(fld(1))] })
      .when('folder.create', { name: 'Gate', parent_id: fld(1) })
      .thenRejects('ParentFolderMissing'));

  it('answers 4100 when the parent went with a deleted ancestor', () =>
    given({
      [treeOf(alice)]: [created(fld(1), 'Garden'), created(fld(2), 'Gate', fld(1)), deleted(fld(1))],
    })
      .when('folder.create', { name: 'Hinges', parent_id: fld(2) })
      .thenRejects('ParentFolderMissing'));

  it("answers 4102 when the parent is another user's folder", () =>
    given({
      [treeOf(bob)]: [created(fld(1), 'Garden', null, bob)],
      [directoryOf(fld(1))]: [claimed(fld(1), bob)],
    })
      .when('folder.create', { name: 'Gate', parent_id: fld(1) })
      .thenRejects('NotParentOwner', { parent_id: fld(1) }));

  it("answers 4102 when the parent is another user's generated folder, found by its creator tag", () =>
    given({
      [treeOf(bob)]: [created(newFld(5, bob), 'Garden', null, bob)],
      [tagOf(bob)]: [tagHeld(bob)],
    })
      .when('folder.create', { name: 'Gate', parent_id: newFld(5, bob) })
      .thenRejects('NotParentOwner', { parent_id: newFld(5, bob) }));

  it('finds the owner among users whose creator tags collide', () =>
    given({
      [treeOf(bob)]: [created(newFld(5, bob), 'Garden', null, bob)],
      [tagOf(bob)]: [
        { type: 'IdTagHeld', data: { tag: tagHeld(bob).data.tag, userId: testId('usr', 'C') } },
        tagHeld(bob),
      ],
    })
      .when('folder.create', { name: 'Gate', parent_id: newFld(5, bob) })
      .thenRejects('NotParentOwner', { parent_id: newFld(5, bob) }));

  it("answers 4100 for a generated id whose creator's tag lists nobody", () =>
    given()
      .when('folder.create', { name: 'Gate', parent_id: newFld(5, bob) })
      .thenRejects('ParentFolderMissing', { parent_id: newFld(5, bob) }));

  it("answers 4100 when the parent was another user's folder that they deleted", () =>
    given({
      [treeOf(bob)]: [created(fld(1), 'Garden', null, bob), deleted(fld(1))],
      [directoryOf(fld(1))]: [claimed(fld(1), bob)],
    })
      .when('folder.create', { name: 'Gate', parent_id: fld(1) })
      .thenRejects('ParentFolderMissing'));
});

describe('folder.create with a sibling of the same name', () => {
  const tree = { [treeOf(alice)]: [created(fld(1), 'Garden'), created(fld(2), 'Caf\u00e9', fld(1))] };

  it('answers 4005 for the same name in another case and with spaces', () =>
    given(tree)
      .when('folder.create', { name: '  GARDEN ', parent_id: 0 })
      .thenRejects('NameTakenOnCreate', { name: 'GARDEN' }));

  it('answers 4005 for the same name written decomposed (NFD)', () =>
    given(tree)
      .when('folder.create', { name: 'CAFE\u0301', parent_id: fld(1) })
      .thenRejects('NameTakenOnCreate'));

  it('accepts the same name under another parent', () =>
    given(tree)
      .when('folder.create', { name: 'Garden', parent_id: fld(1) })
      .thenAccepts('Ok', { events: [created(firstNewFolder, 'Garden', fld(1))] }));

  it('accepts the name of a deleted sibling', () =>
    given({ [treeOf(alice)]: [created(fld(1), 'Garden'), deleted(fld(1))] })
      .when('folder.create', { name: 'garden', parent_id: 0 })
      .thenAccepts('Ok', { events: [created(firstNewFolder, 'garden')] }));

  it("another user's folder names never collide with mine", () =>
    given({ [treeOf(bob)]: [created(fld(1), 'Garden', null, bob)] })
      .when('folder.create', { name: 'Garden', parent_id: 0 })
      .thenAccepts('Ok', { events: [created(firstNewFolder, 'Garden')] }));
});
