import { defineSlice } from '../kernel/index.ts';
import { claim } from './commands/claim.ts';
import { directoryAggregate } from './state.ts';

export { type ClaimPayload, claim, claimPayload } from './commands/claim.ts';
export type * from './events.ts';
export * from './state.ts';

export const directorySlice = defineSlice({
  aggregates: [directoryAggregate],
  commands: [claim],
  eventVersions: { IdClaimed: 1 },
});
