import type { DomainEvent } from '../kernel/index.ts';

// Events of the `username-<normalized>` reservation stream. The claim carries
// the display name too, so the follow-up that opens the account needs nothing
// but this event.
export type UsernameClaimed = DomainEvent<
  'UsernameClaimed',
  { readonly userId: string; readonly username: string; readonly displayName: string }
>;
export type UsernameEvent = UsernameClaimed;

// Events of the `account-<userId>` stream.
export type AccountRegistered = DomainEvent<
  'AccountRegistered',
  { readonly userId: string; readonly username: string; readonly displayName: string }
>;
export type CreditsAdded = DomainEvent<'CreditsAdded', { readonly credits: number }>;
/** A live view session was started; it is written here because its cost (`credits`) lowers the balance. */
export type LiveViewStarted = DomainEvent<
  'LiveViewStarted',
  { readonly sessionId: string; readonly cameraId: string; readonly credits: number }
>;
export type AccountEvent = AccountRegistered | CreditsAdded | LiveViewStarted;
