export * from './envelope.ts';
export * from './reply.ts';
