export * from './read-stores.ts';
