import { match } from 'ts-pattern';
import type { Aggregate } from '../kernel/index.ts';
import type { ConsumerEvent, TokenEvent } from './events.ts';

export type Standing = 'none' | 'active' | 'removed';

export interface ConsumerState {
  readonly standing: Standing;
  readonly name: string;
  /** Sealed; opened only by holders of CAMLEDGER_SECRETS_KEY (the edge, the CLI). */
  readonly secret: string;
}

export const initialConsumer: ConsumerState = { standing: 'none', name: '', secret: '' };

export function evolveConsumer(state: ConsumerState, event: ConsumerEvent): ConsumerState {
  return match(event)
    .with({ type: 'ConsumerAdded' }, ({ data }) => ({
      standing: 'active' as const,
      name: data.name,
      secret: data.secret,
    }))
    .with({ type: 'ConsumerRemoved' }, () => ({ ...state, standing: 'removed' as const }))
    .exhaustive();
}

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

export function evolveToken(state: TokenState, event: TokenEvent): TokenState {
  return match(event)
    .with({ type: 'TokenIssued' }, ({ data }) => ({
      standing: 'active' as const,
      consumerKey: data.consumerKey,
      userId: data.userId,
      secret: data.secret,
    }))
    .with({ type: 'TokenRevoked' }, () => ({ ...state, standing: 'removed' as const }))
    .exhaustive();
}

/**
 * One stream per token (id = the token): a user's authorisation of one
 * consumer. Revoking one token never contends with issuing another.
 */
export const tokenAggregate: Aggregate<TokenState, TokenEvent> = {
  category: 'token',
  initial: initialToken,
  evolve: evolveToken,
};
