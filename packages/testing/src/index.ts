// Runners for tests: every one goes through @camledger/runtime's command
// path over the memory store, so tests prove the path the worker runs.
// The model-based test's vocabulary is at '@camledger/testing/model'.
export { type RunOptions, type RunResult, runOn, type Streams } from './run-on.ts';
export { play } from './simulation.ts';
export { type GivenStreams, specFor } from './spec.ts';
