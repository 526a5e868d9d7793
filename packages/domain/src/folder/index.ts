import type { Slice } from '../kernel/index.ts';

// Placeholder until this slice's commands land.
export const folderSlice: Slice = { aggregates: [], commands: [] };
