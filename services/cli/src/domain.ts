// What the auditor needs of the domain beyond its public index: the upcaster
// and a few slice helpers, so verify uses the domain's own rules (name keys,
// the trash window) rather than copies of them. They are imported by path
// until @camledger/domain exports them; this file is the one place to switch.
export type { CameraState } from '../../../packages/domain/src/camera/state.ts';
export { type FolderTreeState, nameKey } from '../../../packages/domain/src/folder/index.ts';
export { type ItemState, trashWindowEndsAt } from '../../../packages/domain/src/item/index.ts';
export type { PrivateThreadState } from '../../../packages/domain/src/message/state.ts';
export type { NetworkState } from '../../../packages/domain/src/network/state.ts';
export { upcast } from '../../../packages/domain/src/upcasting/index.ts';
