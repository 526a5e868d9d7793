import type { Slice } from '../kernel/index.ts';

// Placeholder until this slice's commands land.
export const itemSlice: Slice = { aggregates: [], commands: [] };
