import type { Slice } from '../kernel/index.ts';
import { directoryAggregate } from './state.ts';

export type * from './events.ts';
export * from './state.ts';

export const directorySlice: Slice = {
  aggregates: [directoryAggregate],
  commands: [],
};
