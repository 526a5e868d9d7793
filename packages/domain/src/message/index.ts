import { defineSlice } from '../kernel/index.ts';
import { replyMessage } from './commands/reply.ts';
import { sendMessage } from './commands/send.ts';
import { messageEventVersions } from './events.ts';
import { privateThreadAggregate } from './state.ts';

export { replyMessage, replyPayload } from './commands/reply.ts';
export { sendMessage, sendPayload } from './commands/send.ts';
export type * from './events.ts';
export { messageEventVersions } from './events.ts';
export * from './state.ts';

export const messageSlice = defineSlice({
  aggregates: [privateThreadAggregate],
  commands: [sendMessage, replyMessage],
  eventVersions: messageEventVersions,
});
