import { accountGet } from './account.ts';
import { cameraGet, cameraGetList } from './camera.ts';
import { folderGet, folderGetList } from './folder.ts';
import { forumGetList, forumGetThread } from './forum.ts';
import { itemGet, itemGetFrames, itemGetList, trashGetList } from './item.ts';
import { messageGetList, messageGetThread } from './message.ts';
import { networkGet, networkGetList, networkGetMembers, networkGetRequests } from './network.ts';
import type { Query } from './query.ts';

export type { Query, QueryAnswer, QueryContext, QueryResult } from './query.ts';

/** Every query of DOMAIN.md §4, by `<object>.<action>`. */
export const queries: ReadonlyMap<string, Query> = new Map(
  [
    accountGet,
    cameraGet,
    cameraGetList,
    itemGet,
    itemGetList,
    itemGetFrames,
    trashGetList,
    folderGet,
    folderGetList,
    networkGet,
    networkGetList,
    networkGetMembers,
    networkGetRequests,
    forumGetList,
    forumGetThread,
    messageGetList,
    messageGetThread,
  ].map((q) => [q.name, q]),
);
