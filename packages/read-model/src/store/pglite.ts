import { existsSync } from 'node:fs';
import { mkdir, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { boundValues } from './bound-values.ts';
import { takePidLock } from './pid-lock.ts';
import { type ProjectorLock, quoteIdent, type ReadStore, type Sql } from './port.ts';

// The embedded default: PGlite (PostgreSQL compiled to WebAssembly) in this
// process, with its files under `<dataDir>/<prefix>/`:
//   pgdata/       PGlite's own files
//   owner.pid     the pid lock (./pid-lock.ts): one process per directory
//   clean-close   written on a clean close, removed on open
// PGlite does not promise durability across a crash, so a directory opened
// without `clean-close` is wiped and rebuilt from the log (`startedEmpty`).

export interface PgliteReadStoreOptions {
  readonly dataDir: string;
  readonly schema: string;
}

const asSql = (db: Pick<PGlite, 'query' | 'exec'>): Sql => ({
  async query<R extends object>(text: string, params: readonly unknown[] = []) {
    return (await db.query<R>(text, boundValues(params))).rows;
  },
  async exec(text: string) {
    await db.exec(text);
  },
});

export async function openPgliteReadStore(options: PgliteReadStoreOptions): Promise<ReadStore> {
  const directory = join(options.dataDir, options.schema);
  await mkdir(directory, { recursive: true });
  const pidLock = await takePidLock(join(directory, 'owner.pid'), directory);
  try {
    const pgdata = join(directory, 'pgdata');
    const cleanMarker = join(directory, 'clean-close');
    const startedEmpty = existsSync(pgdata) && !existsSync(cleanMarker);
    if (startedEmpty) await rm(pgdata, { recursive: true, force: true });
    await unlink(cleanMarker).catch(() => {});
    const db = await PGlite.create(pgdata);
    await db.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)};
      SET search_path TO ${quoteIdent(options.schema)}`);
    const sql = asSql(db);
    let closed = false;
    return {
      kind: 'pglite',
      schema: options.schema,
      startedEmpty,
      query: sql.query,
      exec: sql.exec,
      // PGlite has one connection: its transaction holds it, and queries
      // from elsewhere wait until it commits, so none sees a half batch.
      transaction: (fn) => db.transaction((tx) => fn(asSql(tx))),
      // No other statement runs while a transaction holds the one connection.
      snapshot: (fn) => db.transaction((tx) => fn(asSql(tx))),
      withSchemaLock: (fn) => db.transaction((tx) => fn(asSql(tx))),
      // The pid lock already makes this process the only one on the
      // directory, so its projector never has anyone to wait for.
      async acquireProjectorLock(): Promise<ProjectorLock> {
        return { lost: new Promise<void>(() => {}), release: async () => {} };
      },
      async close() {
        if (closed) return;
        closed = true;
        await db.close();
        await writeFile(cleanMarker, new Date().toISOString());
        await pidLock.release();
      },
    };
  } catch (error) {
    await pidLock.release();
    throw error;
  }
}
