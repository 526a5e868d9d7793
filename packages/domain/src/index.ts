export * from './codes/index.ts';
export * from './kernel/index.ts';
export * from './registry.ts';
export * from './validation/index.ts';
