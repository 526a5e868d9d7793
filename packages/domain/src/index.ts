// What services outside the domain need of the slices: the worker, who counts
// as a registered actor (code 8); the auditor, the states and rules its
// invariant checks reuse rather than copy.

// The shapes of the stored events, for readers of the log (the projections): types only.
export type * from './account/events.ts';
export { accountAggregate, isRegistered, normalizeUsername } from './account/index.ts';
// The sealing of OAuth secrets: the worker seals, the edge and the CLI open.
export { openSecret, type SecretsKey, sealSecret, secretSource, secretsKey } from './auth/index.ts';
export type * from './camera/events.ts';
export { type CameraState, cameraFieldNames } from './camera/index.ts';
export * from './codes/index.ts';
export type { IdTagState } from './directory/index.ts';
export type * from './folder/events.ts';
export { type FolderTreeState, listOrderKey, nameKey } from './folder/index.ts';
export type * from './forum/events.ts';
export type { ForumThreadState } from './forum/index.ts';
export type * from './item/events.ts';
export { type ItemState, trashWindowEndsAt } from './item/index.ts';
export * from './kernel/index.ts';
export type * from './message/events.ts';
export type { PrivateThreadState } from './message/index.ts';
export type * from './network/events.ts';
export { type NetworkState, networkDetailFields, networkTypes } from './network/index.ts';
export * from './registry.ts';
export * from './upcasting/index.ts';
export * from './validation/index.ts';
export * from './wire/index.ts';
