// The read side: projections that follow the event log into a read store,
// and the queries over it (DOMAIN.md §4). What may import what: store <-
// schema <- projections <- projector; store <- queries <- serve. Nothing
// here speaks NATS: the query server (services/query-server) is the wire.
export { ReadConfigError, type ReadStoreConfig, readReadStoreConfig } from './config.ts';
export { handlers } from './projections/index.ts';
export { applyBatch, CheckpointMoved, readCheckpoint, toProjected } from './projector/apply-batch.ts';
export {
  type Projector,
  type ProjectorLog,
  type ProjectorOptions,
  startProjector,
} from './projector/projector.ts';
export { queries } from './queries/index.ts';
export {
  installForProjector,
  PROJECTION_VERSION,
  projectionVersion,
  readMeta,
  rebuildingFromKey,
  tablesReady,
} from './schema/install.ts';
export {
  answerQuery,
  correlationIdIn,
  type QueryAccepted,
  type QueryDeps,
  type QueryRejected,
  type QueryReply,
  readDeadlineMs,
  serverErrorReply,
} from './serve/answer.ts';
export { AppliedPosition } from './serve/applied-position.ts';
export { lookupEdgeCredentials } from './serve/edge-credentials.ts';
export { openReadStore } from './store/open.ts';
export { type ProjectorLock, type ReadStore, ReadStoreBusy, type Sql } from './store/port.ts';
