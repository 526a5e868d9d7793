export { ConfigError, readConfig, type WorkerConfig } from './config.ts';
export type { AcceptedReply, RejectedReply, Reply } from './wire/replies.ts';
export { startWorker, type Worker, type WorkerOptions } from './worker.ts';
