// What services outside the domain need of the slices: the worker, who counts
// as a registered actor (code 8); the auditor, the states and rules its
// invariant checks reuse rather than copy.
export { accountAggregate, isRegistered, normalizeUsername } from './account/index.ts';
export type { CameraState } from './camera/index.ts';
export * from './codes/index.ts';
export { type FolderTreeState, nameKey } from './folder/index.ts';
export { type ItemState, trashWindowEndsAt } from './item/index.ts';
export * from './kernel/index.ts';
export type { PrivateThreadState } from './message/index.ts';
export type { NetworkState } from './network/index.ts';
export * from './registry.ts';
export * from './upcasting/index.ts';
export * from './validation/index.ts';
export * from './wire/index.ts';
