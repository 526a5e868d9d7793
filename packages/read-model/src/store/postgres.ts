import pg from 'pg';
import { boundValues } from './bound-values.ts';
import { type ProjectorLock, quoteIdent, type ReadStore, type Sql } from './port.ts';

// PostgreSQL through `pg`. Every table lives in a schema named after the
// prefix; each pooled connection gets it as its search path, so statements
// name tables bare and the same text runs on PGlite.

const INT8 = 20;
// Positions and counts are bigint columns; they stay below 2^53 (§2), so a
// plain number is exact and both adapters answer the same JS type.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PostgresReadStoreOptions {
  readonly connectionString: string;
  readonly schema: string;
  readonly poolSize?: number;
  /** How long opening a connection may take (default 10 s). */
  readonly connectTimeoutMs?: number;
}

/** Two lock keys per schema: the projector's (held for its life) and the schema's (per transaction). */
/** The name hashed into an advisory lock of a schema (exported for tests that break the lock on purpose). */
export const lockKey = (schema: string, role: 'projector' | 'schema') => `camledger:${role}:${schema}`;

const asSql = (client: pg.PoolClient | pg.Client): Sql => ({
  async query<R extends object>(text: string, params: readonly unknown[] = []) {
    const result = await client.query(text, boundValues(params));
    return result.rows as R[];
  },
  async exec(text: string) {
    await client.query(text);
  },
});

export async function openPostgresReadStore(options: PostgresReadStoreOptions): Promise<ReadStore> {
  const { connectionString, schema } = options;
  const connection = {
    connectionString,
    types,
    options: `-c search_path=${quoteIdent(schema)}`,
    // A server that takes the connection and never answers (a stuck proxy,
    // a wrong port) fails the start instead of hanging it.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  };
  const pool = new pg.Pool({ ...connection, max: options.poolSize ?? 8 });
  // A pooled connection that breaks while idle must not take the process down.
  pool.on('error', () => {});
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`).catch(async (error: unknown) => {
    // Two processes creating the schema at once: one of them loses the race, which is fine.
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  });

  const transaction = async <T>(fn: (tx: Sql) => Promise<T>, begin = 'BEGIN'): Promise<T> => {
    const client = await pool.connect();
    // A checked-out client has no listener for 'error' (the pool's idle one
    // is removed at checkout), and pg emits one when the server ends the
    // connection (a restart, pg_terminate_backend), even with a statement
    // under way: unheard, it would end the process. Heard, the statement
    // fails as it should, and the broken client is not pooled again.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query(begin);
      const value = await fn(asSql(client));
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  };

  return {
    kind: 'postgres',
    schema,
    startedEmpty: false,
    query: async <R extends object>(text: string, params: readonly unknown[] = []) =>
      (await pool.query(text, boundValues(params))).rows as R[],
    exec: async (text) => {
      await pool.query(text);
    },
    transaction: (fn) => transaction(fn),
    // Read committed would give each statement a newer state than the last;
    // repeatable read gives the whole transaction the state of its first.
    snapshot: (fn) => transaction(fn, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'),
    withSchemaLock: (fn) =>
      transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey(schema, 'schema')]);
        return fn(tx);
      }),
    async acquireProjectorLock({ signal, pollMs = 500, onWait } = {}): Promise<ProjectorLock> {
      // A session lock on a connection of its own: it lasts as long as that
      // connection, so a projector that dies (or loses the database) frees it
      // and a waiting one takes over.
      const client = new pg.Client(connection);
      let markLost: () => void = () => {};
      const lost = new Promise<void>((resolve) => {
        markLost = resolve;
      });
      client.on('error', () => markLost());
      client.on('end', () => markLost());
      await client.connect();
      try {
        for (;;) {
          signal?.throwIfAborted();
          const [row] = await asSql(client).query<{ ok: boolean }>(
            'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
            [lockKey(schema, 'projector')],
          );
          if (row?.ok) break;
          onWait?.();
          onWait = undefined;
          await sleep(pollMs, signal);
        }
      } catch (error) {
        await client.end().catch(() => {});
        throw error;
      }
      return {
        lost,
        async release() {
          client.removeAllListeners('end');
          await client.end().catch(() => {});
        },
      };
    },
    async close() {
      await pool.end();
    },
  };
}

/** Waits `ms`, or rejects once `signal` aborts; either way it leaves no listener on the signal behind. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }, ms);
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

/** Drops a schema and everything in it: for tests that made one of their own. */
export async function dropPostgresSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}
