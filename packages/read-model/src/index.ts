// The read side: projections that follow the event log into a read store,
// and the queries over it (DOMAIN.md §4).
export { ReadConfigError, type ReadStoreConfig, readReadStoreConfig } from './config.ts';
export { installForProjector, PROJECTION_VERSION, projectionVersion } from './schema/install.ts';
export { openReadStore } from './store/open.ts';
export { type ProjectorLock, type ReadStore, ReadStoreBusy, type Sql } from './store/port.ts';
