// What a process launcher needs to run the read side: the query server on
// NATS and the projector (from the read-model package), each with a start
// and a stop, and the read store configuration of DOMAIN.md §5.
export {
  openReadStore,
  type Projector,
  type ProjectorOptions,
  ReadConfigError,
  ReadStoreBusy,
  type ReadStoreConfig,
  readReadStoreConfig,
  startProjector,
} from '@camledger/read-model';
export { projectorStatus, startProjectorService } from './projector-service.ts';
export {
  type ReadRole,
  type ReadSideLog,
  type RunningReadSide,
  readRolesOf,
  startReadSide,
} from './roles.ts';
export {
  type QueryServer,
  type QueryServerDeps,
  type QueryServerLog,
  serviceName,
  serviceVersion,
  startQueryServer,
} from './service.ts';
