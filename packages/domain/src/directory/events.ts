import type { DomainEvent } from '../kernel/index.ts';

export type ClaimKind = 'folder' | 'invitation';

/** `id` now belongs to `owner` and lives in the aggregate whose id is `container` (`kind` says which). */
export type IdClaimed = DomainEvent<
  'IdClaimed',
  { readonly id: string; readonly kind: ClaimKind; readonly owner: string; readonly container: string }
>;
export type DirectoryEvent = IdClaimed;
