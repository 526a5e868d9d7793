import { defineSlice } from '../kernel/index.ts';
import { addCredits } from './commands/add-credits.ts';
import { open } from './commands/open.ts';
import { register } from './commands/register.ts';
import { openAccountOnClaim } from './reactors.ts';
import { accountAggregate, usernameAggregate } from './state.ts';

export { addCredits, addCreditsPayload } from './commands/add-credits.ts';
export { open, openPayload } from './commands/open.ts';
export { register, registerPayload } from './commands/register.ts';
export type * from './events.ts';
export { openAccountOnClaim } from './reactors.ts';
export * from './state.ts';

export const accountSlice = defineSlice({
  aggregates: [accountAggregate, usernameAggregate],
  commands: [register, open, addCredits],
  reactors: { UsernameClaimed: openAccountOnClaim },
  eventVersions: { UsernameClaimed: 1, AccountRegistered: 1, CreditsAdded: 1, LiveViewStarted: 1 },
});
