import { defineSlice } from '../kernel/index.ts';
import { postMessage } from './commands/post-message.ts';
import { forumEventVersions } from './events.ts';
import { forumThreadAggregate } from './state.ts';

export { postMessage, postMessagePayload } from './commands/post-message.ts';
export type * from './events.ts';
export { forumEventVersions } from './events.ts';
export * from './state.ts';

export const forumSlice = defineSlice({
  aggregates: [forumThreadAggregate],
  commands: [postMessage],
  eventVersions: forumEventVersions,
});
