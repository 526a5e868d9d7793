export * from './edge-credentials.ts';
export * from './envelope.ts';
export * from './nesting.ts';
export type * from './projector-status.ts';
export * from './query-payloads.ts';
export type * from './query-reply.ts';
export * from './reply.ts';
