// The HTTP API edge: OAuth 1.0a, JSON and XML, in front of the command workers and query servers.
export {};
