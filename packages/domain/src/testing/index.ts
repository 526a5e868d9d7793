export * from './context.ts';
export * from './memory-reader.ts';
export * from './spec.ts';
