export { memoryCheckpoints } from './checkpoints.ts';
export { type MemoryReplyLogOptions, memoryReplyLog } from './reply-log.ts';
export { type MemoryEventStoreOptions, memoryEventStore } from './store.ts';
export { memoryWorkQueue } from './work-queue.ts';
