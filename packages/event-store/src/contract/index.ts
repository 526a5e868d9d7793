export { type CheckpointTarget, checkpointContract } from './checkpoints.contract.ts';
export { type ContractTarget, event, eventStoreContract } from './event-store.contract.ts';
export { type ReplyLogTarget, replyLogContract } from './reply-log.contract.ts';
export { type WorkQueueTarget, workQueueContract } from './work-queue.contract.ts';
