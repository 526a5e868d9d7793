export {
  type CamledgerClient,
  type ClientOptions,
  type CommandMethods,
  createClient,
  type SendOptions,
} from './client.ts';
export * from './outcome.ts';
export {
  type QueryMethods,
  type QueryOptions,
  type QueryOutcome,
  QueryTimeoutError,
} from './query.ts';
