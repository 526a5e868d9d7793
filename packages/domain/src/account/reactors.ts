import type { FollowUp, Reactor, StoredEvent } from '../kernel/index.ts';
import type { UsernameClaimed } from './events.ts';

/** A reserved username opens its account (account.open is idempotent, so a repeat is harmless). */
export const openAccountOnClaim: Reactor = (event: StoredEvent): readonly FollowUp[] => {
  const { userId, username, displayName } = (event as StoredEvent<UsernameClaimed>).data;
  return [{ command: 'account.open', payload: { user_id: userId, username, display_name: displayName } }];
};
