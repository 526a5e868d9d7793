// What the auditor needs of the domain beyond commands and aggregates: the
// upcaster and a few slice rules, so verify uses the domain's own rules (name
// keys, the trash window) rather than copies of them.
export {
  type CameraState,
  categoryOf,
  type FolderTreeState,
  type ForumThreadState,
  type ItemState,
  type NetworkState,
  nameKey,
  type PrivateThreadState,
  trashWindowEndsAt,
  upcast,
} from '@camledger/domain';
