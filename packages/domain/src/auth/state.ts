import { type Aggregate, evolveByType } from '../kernel/index.ts';
import type { ConsumerEvent, TokenEvent } from './events.ts';

export type Standing = 'none' | 'active' | 'removed';

export interface ConsumerState {
  readonly standing: Standing;
  readonly name: string;
  /** Sealed; opened only by holders of CAMLEDGER_SECRETS_KEY (the edge, the CLI). */
  readonly secret: string;
}

export const initialConsumer: ConsumerState = { standing: 'none', name: '', secret: '' };

export const evolveConsumer = evolveByType<ConsumerState, ConsumerEvent>({
  ConsumerAdded: (_state, { data }) => ({
    standing: 'active' as const,
    name: data.name,
    secret: data.secret,
  }),
  ConsumerRemoved: (state) => ({ ...state, standing: 'removed' as const }),
});

/** One stream per client application (id = its consumer key). */
export const consumerAggregate: Aggregate<ConsumerState, ConsumerEvent> = {
  category: 'consumer',
  initial: initialConsumer,
  evolve: evolveConsumer,
};

export interface TokenState {
  readonly standing: Standing;
  readonly consumerKey: string;
  readonly userId: string;
  /** Sealed, as the consumer's. */
  readonly secret: string;
}

export const initialToken: TokenState = { standing: 'none', consumerKey: '', userId: '', secret: '' };

export const evolveToken = evolveByType<TokenState, TokenEvent>({
  TokenIssued: (_state, { data }) => ({
    standing: 'active' as const,
    consumerKey: data.consumerKey,
    userId: data.userId,
    secret: data.secret,
  }),
  TokenRevoked: (state) => ({ ...state, standing: 'removed' as const }),
});

/**
 * One stream per token (id = the token): a user's authorisation of one
 * consumer. Revoking one token never contends with issuing another.
 */
export const tokenAggregate: Aggregate<TokenState, TokenEvent> = {
  category: 'token',
  initial: initialToken,
  evolve: evolveToken,
};
