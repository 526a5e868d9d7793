export type { AcceptedReply, RejectedReply, Reply } from '@camledger/domain';
export { ConfigError, parseIsoDuration, readConfig, type WorkerConfig } from './config.ts';
export { announce, createLogger, type Logger } from './logger.ts';
export {
  connectNats,
  natsConnectionOptions,
  type ReconnectOptions,
  reconnectOptions,
  untilClosed,
} from './nats-options.ts';
export { listParkedFollowUps, openEventStore, openFollowUpQueue } from './stores.ts';
export { startWorker, type Worker, type WorkerOptions } from './worker.ts';
