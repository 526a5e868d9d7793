import type { DomainEvent } from '../kernel/index.ts';

// Events of the `consumer-<consumer_key>` and `token-<token>` streams. Every
// `secret` is sealed (see sealing.ts): the event log never holds one in clear.
export type ConsumerAdded = DomainEvent<
  'ConsumerAdded',
  { readonly consumerKey: string; readonly name: string; readonly secret: string }
>;
export type ConsumerRemoved = DomainEvent<'ConsumerRemoved', { readonly consumerKey: string }>;
export type ConsumerEvent = ConsumerAdded | ConsumerRemoved;

export type TokenIssued = DomainEvent<
  'TokenIssued',
  {
    readonly token: string;
    readonly consumerKey: string;
    readonly userId: string;
    readonly secret: string;
  }
>;
export type TokenRevoked = DomainEvent<'TokenRevoked', { readonly token: string }>;
export type TokenEvent = TokenIssued | TokenRevoked;

export type AuthEvent = ConsumerEvent | TokenEvent;
