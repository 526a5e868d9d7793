import { accountHandlers } from './accounts.ts';
import { cameraHandlers } from './cameras.ts';
import { conversationHandlers } from './conversations.ts';
import { edgeCredentialHandlers } from './edge-credentials.ts';
import { folderHandlers } from './folders.ts';
import { itemHandlers } from './items.ts';
import { networkHandlers } from './networks.ts';
import type { Handlers } from './projected-event.ts';

export type { Handler, Handlers, ProjectedEvent } from './projected-event.ts';

/**
 * Every projection's handlers, by event type. Types not listed (the
 * username and directory claims, creator tags, SnapshotTaken,
 * SnapshotCopyLinked) change nothing a query shows; the checkpoint still
 * moves past them.
 */
export const handlers: Handlers = {
  ...accountHandlers,
  ...cameraHandlers,
  ...folderHandlers,
  ...itemHandlers,
  ...networkHandlers,
  ...conversationHandlers,
  ...edgeCredentialHandlers,
};
