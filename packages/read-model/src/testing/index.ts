export { dropPostgresSchema } from '../store/postgres.ts';
export * from './read-stores.ts';
