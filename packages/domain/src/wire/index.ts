export * from './envelope.ts';
export * from './query-payloads.ts';
export * from './reply.ts';
