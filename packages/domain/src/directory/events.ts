import type { DomainEvent } from '../kernel/index.ts';

/**
 * `account`: a client-chosen user id, claimed by its registration (`owner`
 * the user id, `container` the normalised username whose stream the
 * registration writes), so two registrations of one id cannot both succeed.
 */
export type ClaimKind = 'folder' | 'invitation' | 'account';

/** `id` now belongs to `owner` and lives in the aggregate whose id is `container` (`kind` says which). */
export type IdClaimed = DomainEvent<
  'IdClaimed',
  { readonly id: string; readonly kind: ClaimKind; readonly owner: string; readonly container: string }
>;

/**
 * `userId` generates ids carrying `tag` (its creator tag): the owner of a
 * generated folder id is one of the users its tag's stream lists.
 */
export type IdTagHeld = DomainEvent<'IdTagHeld', { readonly tag: string; readonly userId: string }>;

export type DirectoryEvent = IdClaimed;
export type IdTagEvent = IdTagHeld;
