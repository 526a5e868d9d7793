// The one command path of camledger: what the worker runs for a request and
// every test runs over the memory store. No transport here (no NATS): the
// worker adapts it to the wire, tests call it directly.
export { HotStreams } from './append/hot-streams.ts';
export { KeyedMutex } from './append/keyed-mutex.ts';
export {
  createRuntimeDeps,
  derivedIds,
  type Faults,
  type RuntimeDeps,
  type RuntimeLog,
  type RuntimeOptions,
} from './deps.ts';
export { execute } from './execute.ts';
export { FollowedUp } from './followed-up.ts';
export type { Identity } from './identity.ts';
export { commandKey, deterministicId, deterministicUuid, payloadHash } from './keys.ts';
export { logPosition } from './log-position.ts';
export { originOf } from './origin.ts';
export { type Channel, type Route, route, routeOf } from './route.ts';
export {
  type CommandOutcome,
  type FollowUpsRun,
  type RefusedFollowUp,
  runCommand,
  runFollowUps,
} from './run-command.ts';
export { approximateSize } from './state/approximate-size.ts';
export { AttemptReader } from './state/attempt-reader.ts';
export {
  type CachedState,
  type KeyedReply,
  replyRetentionMs,
  StateCache,
  type StateCacheOptions,
} from './state/state-cache.ts';
