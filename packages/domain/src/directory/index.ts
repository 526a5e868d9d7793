import { defineSlice } from '../kernel/index.ts';
import { claim } from './commands/claim.ts';
import { directoryAggregate, idTagAggregate } from './state.ts';

export { type ClaimPayload, claim, claimPayload } from './commands/claim.ts';
export type * from './events.ts';
export * from './state.ts';

export const directorySlice = defineSlice({
  aggregates: [directoryAggregate, idTagAggregate],
  commands: [claim],
  eventVersions: { IdClaimed: 1, IdTagHeld: 1 },
});
