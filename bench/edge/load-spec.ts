// What one load generator process is told (as JSON in LOAD_SPEC) and answers
// (one JSON line on stdout). The same spec drives the HTTP and the NATS side,
// so both send the same command or query for the same user.

export interface LoadSpec {
  /**
   * `command`: item.set_flag, each connection toggling its own item; `query`:
   * account.get; `credentials` (NATS only): the consumer and token look-up the
   * edge makes of the query servers for every request.
   */
  readonly kind: 'command' | 'query' | 'credentials';
  readonly inFlight: number;
  readonly seconds: number;
  /** The user every request acts for (the token's user). */
  readonly userId: string;
  /** One item per connection / lane, so no two in-flight commands touch one stream. */
  readonly items: readonly string[];
  /** HTTP side (the NATS side's `credentials` look-up uses the keys too). */
  readonly edgeUrl?: string;
  readonly consumer?: { readonly key: string; readonly secret: string };
  readonly token?: { readonly key: string; readonly secret: string };
  /** NATS side. */
  readonly natsUrl?: string;
  readonly prefix?: string;
}

export interface LoadResult {
  /** Accepted answers per second. */
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
  /** Answers that were not the accepted code (HTTP: non-2xx or transport errors). */
  readonly failed: number;
}

export const readSpec = (): LoadSpec => JSON.parse(process.env.LOAD_SPEC ?? '') as LoadSpec;
