export type { AcceptedReply, RejectedReply, Reply } from '@camledger/domain';
export { ConfigError, readConfig, type WorkerConfig } from './config.ts';
export { startWorker, type Worker, type WorkerOptions } from './worker.ts';
