import { match } from 'ts-pattern';
import { z } from 'zod';
import {
  directoryAggregate,
  freeOrClaimedAs,
  type IdClaimed,
  type IdTagHeld,
  idTagAggregate,
  isClaimed,
} from '../../directory/index.ts';
import {
  accept,
  acceptUnchanged,
  creatorTag,
  defineCommand,
  isGeneratedId,
  isId,
  reject,
  reserving,
  writingFirst,
} from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { FolderCreated } from '../events.ts';
import { folderTreeAggregate, liveFolder, liveSiblingNamed, nameKey } from '../state.ts';
import { loadElsewhere, locate } from '../whereabouts.ts';

const payload = z.object({
  folder_id: param.newId('fld').optional(),
  name: param.name(3, 64),
  parent_id: param.parentRef(),
});

export const createFolder = defineCommand({
  name: 'folder.create',
  internal: false,
  payload,
  async load(p, ctx, reader) {
    const actor = String(ctx.actor);
    const tree = await reader.read(folderTreeAggregate, actor);
    const parentElsewhere = await loadElsewhere(reader, actor, tree.state, p.parent_id);
    // A client-chosen id must not be anyone's already; the directory knows
    // every folder id a client chose. A generated one it never holds (below).
    const claimOfChosenId =
      p.folder_id !== undefined && isId('fld', p.folder_id) && !isGeneratedId(p.folder_id)
        ? await reader.read(directoryAggregate, p.folder_id)
        : null;
    // A generated id needs its creator's tag registered, once per user.
    const tagHolders =
      p.folder_id === undefined && !tree.state.tagHeld
        ? await reader.read(idTagAggregate, creatorTag(actor))
        : null;
    return { actor, tree, parentElsewhere, claimOfChosenId, tagHolders };
  },
  decide(p, { actor, tree, parentElsewhere, claimOfChosenId, tagHolders }, ctx) {
    if (p.folder_id !== undefined) {
      const existing = tree.state.folders.get(p.folder_id);
      const live = liveFolder(tree.state, p.folder_id);
      // The same creation sent again (same id, name and parent): it already happened.
      if (live && live.name === p.name && live.parentId === p.parent_id)
        return acceptUnchanged('Ok', { folder_id: live.id, name: live.name });
      // Ids are never reused, also not those of deleted folders or of other
      // users' things. A generated id is someone's: if not the actor's
      // (their tree would hold it), another user's, or one still to come.
      if (
        existing ||
        isGeneratedId(p.folder_id) ||
        // Free, or claimed for a folder of this actor's tree that is not written yet: the actor may create it.
        (claimOfChosenId &&
          !freeOrClaimedAs(claimOfChosenId.state, { kind: 'folder', owner: actor, container: actor }))
      )
        return reject('MissingParameter', { param: 'folder_id', reason: 'already used' });
    }
    if (p.parent_id !== null) {
      const parent = locate(tree.state, parentElsewhere, p.parent_id);
      const refusal = match(parent)
        .with({ kind: 'own' }, () => null)
        .with({ kind: 'someone_else' }, () => reject('NotParentOwner', { parent_id: p.parent_id }))
        .with({ kind: 'nowhere' }, () => reject('ParentFolderMissing', { parent_id: p.parent_id }))
        .exhaustive();
      if (refusal) return refusal;
    }
    const key = nameKey(p.name);
    if (liveSiblingNamed(tree.state, p.parent_id, key))
      return reject('NameTakenOnCreate', { name: p.name, parent_id: p.parent_id ?? 0 });

    const folderId = p.folder_id ?? ctx.newId('fld');
    const created: FolderCreated = {
      type: 'FolderCreated',
      data: { folderId, ownerId: actor, name: p.name, parentId: p.parent_id },
    };
    const decision = accept('Ok', tree, [created], { folder_id: folderId, name: p.name });
    // The tree guards one user's ids; across users, a client-chosen id is
    // claimed in the directory, create-only, before the tree is written
    // (two users' creations race on `directory-<id>`, only one creates it;
    // a claim that is the actor's already, from a retry after a crash
    // between claim and tree write, is used as it is). A generated id is
    // unique by construction and carries the generated mark, which no client
    // may use (above): it is not claimed. It carries its creator's tag
    // instead, and the actor's first generated folder registers that tag,
    // before the tree is written, so the folder can be found by others.
    if (p.folder_id === undefined) {
      if (!tagHolders || tagHolders.state.users.includes(actor)) return decision;
      const held: IdTagHeld = { type: 'IdTagHeld', data: { tag: creatorTag(actor), userId: actor } };
      return writingFirst(decision, tagHolders, [held]);
    }
    if (!claimOfChosenId || isClaimed(claimOfChosenId.state)) return decision;
    const claim: IdClaimed = {
      type: 'IdClaimed',
      data: { id: folderId, kind: 'folder', owner: actor, container: actor },
    };
    return reserving(decision, claimOfChosenId, [claim]);
  },
});
