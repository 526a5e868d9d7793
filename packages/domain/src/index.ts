// What the worker needs of one slice: who counts as a registered actor (code 8).
export { accountAggregate, isRegistered, normalizeUsername } from './account/index.ts';
export * from './codes/index.ts';
export * from './kernel/index.ts';
export * from './registry.ts';
export * from './upcasting/index.ts';
export * from './validation/index.ts';
export * from './wire/index.ts';
