export { eventStoreDbCheckpoints } from './checkpoints.ts';
export { type EventStoreDbReplyLogOptions, eventStoreDbReplyLog } from './reply-log.ts';
export { connectEventStoreDb, EventStoreDbUnreachable, eventStoreDbStore } from './store.ts';
export { type EventStoreDbWorkQueueOptions, openEventStoreDbWorkQueue } from './work-queue.ts';
