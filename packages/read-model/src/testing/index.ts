export { dropPostgresSchema, lockKey } from '../store/postgres.ts';
export * from './read-stores.ts';
