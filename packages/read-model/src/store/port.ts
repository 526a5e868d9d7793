// The read store port: the one thing projections and queries know of the
// database. Both adapters speak PostgreSQL's dialect (a real server through
// `pg`, or PGlite embedded in the process), so every statement is written
// once and runs on either.

export type Row = Record<string, unknown>;

/** Runs one statement with `$1…` parameters and answers its rows. */
export interface Sql {
  query<R extends object = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs several statements separated by `;`, without parameters (migrations). */
  exec(text: string): Promise<void>;
}

/** Held by the one projector that applies events; the others wait for it. */
export interface ProjectorLock {
  /** Settles when the lock is lost without `release` (the connection holding it died). */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

export interface ReadStore extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /** The schema every table lives in (named after the prefix). */
  readonly schema: string;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Runs `fn`'s statements against one committed state of the store, read
   * only: a batch the projector commits meanwhile is seen by none of them or
   * (after `fn`) by all. What one answer reads in several statements (a
   * list's page and its total, an item and its frames) then agrees.
   */
  snapshot<T>(fn: (db: Sql) => Promise<T>): Promise<T>;
  /**
   * Waits until this process holds the projector's lock (polling every
   * `pollMs`), or rejects with an AbortError once `signal` aborts. `onWait`
   * is called once if the lock is found held by another projector.
   */
  acquireProjectorLock(options?: {
    signal?: AbortSignal;
    pollMs?: number;
    onWait?: () => void;
  }): Promise<ProjectorLock>;
  /**
   * Runs `fn` in a transaction that holds the schema lock, so migrations and
   * rebuilds of two processes starting together never interleave.
   */
  withSchemaLock<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * True when the store found its files in a state it cannot trust (PGlite
   * after an unclean stop) and started empty: the projector must rebuild.
   */
  readonly startedEmpty: boolean;
  close(): Promise<void>;
}

/** A second process on one embedded data directory: the caller exits with 2 (DOMAIN.md §5). */
export class ReadStoreBusy extends Error {
  override readonly name = 'ReadStoreBusy';
  constructor(
    readonly directory: string,
    readonly pid: number,
  ) {
    super(`the read store in ${directory} is in use by process ${pid}`);
  }
}

/** Quotes an identifier (a schema named after the prefix) for SQL text. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
