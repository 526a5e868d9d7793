import type { Slice } from '../kernel/index.ts';
import { cameraAggregate } from './state.ts';

export type * from './events.ts';
export * from './state.ts';

export const cameraSlice: Slice = {
  aggregates: [cameraAggregate],
  commands: [],
};
