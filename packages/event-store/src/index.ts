export * from './eventstoredb/index.ts';
export * from './jetstream/index.ts';
export * from './memory/index.ts';
export * from './port.ts';
export { PositionMarks } from './position-marks.ts';
export { comparePositions, safeToken } from './shared.ts';
