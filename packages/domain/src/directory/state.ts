import { type Aggregate, evolveByType } from '../kernel/index.ts';
import type { ClaimKind, DirectoryEvent, IdTagEvent } from './events.ts';

/**
 * Whose an id is and in which aggregate it lives, for things that live inside
 * a bigger aggregate (a folder in its owner's tree `foldertree-<userId>`, an
 * invitation in `network-<networkId>`): a command that gets only the id reads
 * this first, then the container. It also makes a client-chosen id unique across users.
 */
export interface DirectoryState {
  readonly kind: ClaimKind | null;
  readonly owner: string | null;
  /**
   * The id of the aggregate the thing lives in, as `StateReader.read` takes
   * it (the owner's user id for a folder, the network id for an invitation);
   * `kind` says which aggregate that is.
   */
  readonly container: string | null;
}

export const initialDirectory: DirectoryState = { kind: null, owner: null, container: null };

export const evolveDirectory = evolveByType<DirectoryState, DirectoryEvent>({
  IdClaimed: (state, { data }) => ({
    ...state,
    kind: data.kind,
    owner: data.owner,
    container: data.container,
  }),
});

/** One stream per claimed id (id = the claimed id, e.g. `fld_…` or `inv_…`). */
export const directoryAggregate: Aggregate<DirectoryState, DirectoryEvent> = {
  category: 'directory',
  initial: initialDirectory,
  evolve: evolveDirectory,
};

export const isClaimed = (state: DirectoryState): boolean => state.kind !== null;

/**
 * The id is free, or claimed exactly as `claim` says: the same claim again
 * (a retry, or a creation whose claim was written before it crashed) may go
 * on; a claim of anyone or anything else may not.
 */
export const freeOrClaimedAs = (
  state: DirectoryState,
  claim: Pick<DirectoryState, 'kind' | 'owner' | 'container'>,
): boolean =>
  !isClaimed(state) ||
  (state.kind === claim.kind && state.owner === claim.owner && state.container === claim.container);

/**
 * The users whose generated ids carry one creator tag (`idtag-<tag>`, see
 * `creatorTag` in the kernel): usually one, more only when two users' tags
 * collide (40 bits). Generated folder ids are not claimed one by one; a
 * command that gets one not in the actor's tree reads this, then the
 * listed users' trees, to learn whose folder it is.
 */
export interface IdTagState {
  readonly users: readonly string[];
}

export const idTagAggregate: Aggregate<IdTagState, IdTagEvent> = {
  category: 'idtag',
  initial: { users: [] },
  evolve: evolveByType<IdTagState, IdTagEvent>({
    IdTagHeld: (state, { data }) =>
      state.users.includes(data.userId) ? state : { users: [...state.users, data.userId] },
  }),
};
