// The HTTP API edge: OAuth 1.0a, JSON and XML, in front of the command workers and query servers.
export { buildCatalogue, type Operation } from './catalogue.ts';
export { type EdgeConfig, EdgeConfigError, readEdgeConfig } from './config.ts';
export { statusOf, statusTable } from './http/status.ts';
export { nonceBucketName } from './nats/nonces.ts';
export type { CredentialLookup, Credentials, NonceStore } from './oauth/credentials.ts';
export { authorizationHeader } from './oauth/sign-request.ts';
export {
  bodyLimitBytes,
  type EdgeOptions,
  queryTimeoutMs,
  type RunningEdge,
  startEdge,
  urlLimitBytes,
} from './server.ts';
