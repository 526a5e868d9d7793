import { defineSlice } from '../kernel/index.ts';
import { addConsumer } from './commands/add-consumer.ts';
import { issueToken } from './commands/issue-token.ts';
import { removeConsumer } from './commands/remove-consumer.ts';
import { revokeToken } from './commands/revoke-token.ts';
import { consumerAggregate, tokenAggregate } from './state.ts';

export { addConsumer, addConsumerPayload } from './commands/add-consumer.ts';
export { issueToken, issueTokenPayload } from './commands/issue-token.ts';
export { removeConsumer, removeConsumerPayload } from './commands/remove-consumer.ts';
export { revokeToken, revokeTokenPayload } from './commands/revoke-token.ts';
export type * from './events.ts';
export * from './sealing.ts';
export * from './state.ts';

/** Consumers (client applications) and tokens (a user's authorisation of one), DOMAIN.md §6. */
export const authSlice = defineSlice({
  aggregates: [consumerAggregate, tokenAggregate],
  commands: [addConsumer, removeConsumer, issueToken, revokeToken],
  eventVersions: { ConsumerAdded: 1, ConsumerRemoved: 1, TokenIssued: 1, TokenRevoked: 1 },
});
