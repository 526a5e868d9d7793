import { type Aggregate, evolveByType } from '../kernel/index.ts';
import type { AccountEvent, UsernameEvent } from './events.ts';

export interface AccountState {
  readonly registered: boolean;
  readonly userId: string | null;
  /** As the user typed it (case kept); compare through `normalizeUsername`. */
  readonly username: string;
  readonly displayName: string;
  readonly credits: number;
}

export const initialAccount: AccountState = {
  registered: false,
  userId: null,
  username: '',
  displayName: '',
  credits: 0,
};

export const evolveAccount = evolveByType<AccountState, AccountEvent>({
  AccountRegistered: (state, { data }) => ({
    ...state,
    registered: true,
    userId: data.userId,
    username: data.username,
    displayName: data.displayName,
  }),
  CreditsAdded: (state, { data }) => ({ ...state, credits: state.credits + data.credits }),
  LiveViewStarted: (state, { data }) => ({ ...state, credits: state.credits - data.credits }),
});

/** One stream per user (id = user id): the user's profile and credit balance, the invariant live view spends. */
export const accountAggregate: Aggregate<AccountState, AccountEvent> = {
  category: 'account',
  initial: initialAccount,
  evolve: evolveAccount,
};

export const isRegistered = (state: AccountState): boolean => state.registered;

export interface UsernameState {
  /** The user id that holds this username, or null while it is free. */
  readonly owner: string | null;
}

export const initialUsername: UsernameState = { owner: null };

export const evolveUsername = evolveByType<UsernameState, UsernameEvent>({
  UsernameClaimed: (state, { data }) => ({ ...state, owner: data.userId }),
});

/**
 * One reservation stream per normalised username (id = `normalizeUsername(name)`).
 * Uniqueness across all users is a global invariant; making each name its own
 * consistency boundary lets the store's expected revision decide a race between
 * two registrations of "Bob" and "bob" without any global lock.
 */
export const usernameAggregate: Aggregate<UsernameState, UsernameEvent> = {
  category: 'username',
  initial: initialUsername,
  evolve: evolveUsername,
};

/** The form usernames are compared and reserved in: trimmed, NFC, lower case. */
export const normalizeUsername = (name: string): string => name.trim().normalize('NFC').toLowerCase();
