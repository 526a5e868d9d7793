export { jetStreamCheckpoints } from './checkpoints.ts';
export { deleteJetStreamNamespace } from './namespace.ts';
export { type JetStreamReplyLogOptions, jetStreamReplyLog } from './reply-log.ts';
export { UnsafeNatsServer } from './server-support.ts';
export { connectJetStreamStore, type JetStreamStoreOptions } from './store.ts';
export { type JetStreamWorkQueueOptions, listParkedWork, openJetStreamWorkQueue } from './work-queue.ts';
