export * from './aggregate.ts';
export * from './command.ts';
export * from './context.ts';
export * from './decision.ts';
export * from './events.ts';
export * from './ids.ts';
export * from './slice.ts';
