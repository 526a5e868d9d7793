import type { Slice } from '../kernel/index.ts';
import { accountAggregate, usernameAggregate } from './state.ts';

export type * from './events.ts';
export * from './state.ts';

export const accountSlice: Slice = {
  aggregates: [accountAggregate, usernameAggregate],
  commands: [],
};
