import { match } from 'ts-pattern';
import { z } from 'zod';
import { type DirectoryState, directoryAggregate, type IdClaimed, isClaimed } from '../../directory/index.ts';
import {
  accept,
  acceptUnchanged,
  defineCommand,
  isId,
  reject,
  reserving,
  reservingDerived,
  streamName,
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
    // A client-chosen id must not be anyone's already; the directory knows every folder id claimed.
    const claimOfChosenId =
      p.folder_id !== undefined && isId('fld', p.folder_id)
        ? await reader.read(directoryAggregate, p.folder_id)
        : null;
    return { actor, tree, parentElsewhere, claimOfChosenId };
  },
  decide(p, { actor, tree, parentElsewhere, claimOfChosenId }, ctx) {
    if (p.folder_id !== undefined) {
      const existing = tree.state.folders.get(p.folder_id);
      const live = liveFolder(tree.state, p.folder_id);
      // The same creation sent again (same id, name and parent): it already happened.
      if (live && live.name === p.name && live.parentId === p.parent_id)
        return acceptUnchanged('Ok', { folder_id: live.id, name: live.name });
      // Ids are never reused, also not those of deleted folders or of other users' things.
      if (existing || (claimOfChosenId && !heldFor(claimOfChosenId.state, actor)))
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
    // Every new folder id is claimed in the directory, create-only, before
    // the tree is written: the tree guards one user's ids, the claim guards
    // the id across users, and no folder exists without its claim. A
    // client-chosen id is loaded first (two users' creations race on
    // `directory-<id>`, only one creates it); a claim that is the actor's
    // already (a retry after a crash between claim and tree write) is used
    // as it is. An id from ctx.newId is derived from this command's key,
    // unique by construction: it is not loaded first, and the runtime takes
    // its claim found existing for this command's own.
    const claim: IdClaimed = {
      type: 'IdClaimed',
      data: { id: folderId, kind: 'folder', owner: actor, container: actor },
    };
    if (p.folder_id === undefined)
      return reservingDerived(decision, streamName(directoryAggregate.category, folderId), [claim]);
    if (!claimOfChosenId || isClaimed(claimOfChosenId.state)) return decision;
    return reserving(decision, claimOfChosenId, [claim]);
  },
});

/** Free, or claimed for a folder of this actor's tree that is not written yet: the actor may create it. */
const heldFor = (claim: DirectoryState, actor: string): boolean =>
  !isClaimed(claim) || (claim.kind === 'folder' && claim.owner === actor && claim.container === actor);
