// The CLI's subcommands as functions of an injected store or client, so
// they can be run in-process (tests, other tools) as well as from main.ts.
export { runAsOf, stateAsOf } from './as-of.ts';
export { HistoryFold } from './fold.ts';
export { history, runHistory } from './history.ts';
export { exitCodes, type Output, UsageError } from './output.ts';
export { replay, runReplay } from './replay.ts';
export { runSend } from './send.ts';
export { openStore } from './store.ts';
export { checks, runVerify, type Violation, verify } from './verify/index.ts';
