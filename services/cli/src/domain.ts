// What the auditor needs of the domain beyond commands and aggregates: the
// upcaster and a few slice rules, so verify uses the domain's own rules (name
// keys, the trash window) rather than copies of them.
export {
  type CameraState,
  cameraFieldNames,
  categoryOf,
  type FolderTreeState,
  type ForumThreadState,
  type ItemState,
  type NetworkState,
  nameKey,
  networkDetailFields,
  networkTypes,
  type PrivateThreadState,
  trashWindowEndsAt,
  upcast,
} from '@camledger/domain';
