import { quoteIdent, type ReadStore, type Sql } from '../store/port.ts';
import { migrations } from './migrations.ts';

// What the projector does at start, under the schema lock, before it applies
// anything: make sure the tables exist, and decide whether the rows it finds
// can be kept. Rows from another log (a recreated prefix, a new memory
// store) cannot be served a moment longer: everything is dropped and built
// again from the start of the log. Rows of an older version of the handlers
// on tables of today's shape are served, and followed with today's handlers,
// while a shadow copy is built (§4: a rebuild swaps in at the end, and
// `position` never goes back). Tables of
// another shape (new migrations) cannot be read by today's queries, so they
// are dropped and built again in place.

/** Bump when a handler changes what it writes: the rows are then rebuilt at start, into the shadow copy. */
// 2: items filed in a deleted folder keep their rows (hidden by the queries).
// 3: names are listed by `listOrderKey` (NFC), no longer by `nameKey` (NFD).
export const PROJECTION_VERSION = 3;

/** The version stored with the rows: handlers and migrations together. */
export const projectionVersion = `${PROJECTION_VERSION}.${migrations.length}`;

/**
 * Present while the rows are an older version's that this version took over
 * at start and is rebuilding (its value: the older version). The rebuilt
 * rows swapped in do not carry it.
 */
export const rebuildingFromKey = 'rebuilding_from';

/**
 * The rows were built by a newer version of the projections than this
 * binary's: dropping them (what an older version used to do) would undo the
 * newer one's work on every hand-over of a rolling deploy. The projector
 * refuses instead, and applies nothing.
 */
export class ProjectionsNewer extends Error {
  constructor(readonly stored: string) {
    super(
      `the read store holds projections of version ${stored}, newer than this binary's ${projectionVersion}: not applying (run the newer version)`,
    );
  }
}

/** Whether version `a` ("<handlers>.<migrations>") is newer than `b`. */
export function isNewerVersion(a: string, b: string): boolean {
  const [ah = 0, am = 0] = a.split('.').map(Number);
  const [bh = 0, bm = 0] = b.split('.').map(Number);
  return ah > bh || (ah === bh && am > bm);
}

export type InstallOutcome =
  | { readonly rebuild: false }
  /** Kept and served as they are until a rebuild into the shadow copy replaces them. */
  | { readonly rebuild: 'in-shadow'; readonly reason: 'version' }
  /** Dropped: the tables are empty now. */
  | { readonly rebuild: true; readonly reason: 'new' | 'version' | 'log' | 'unclean-stop' };

/** Whether two versions ("<handlers>.<migrations>") have tables of one shape: the same migrations. */
const sameTables = (a: string, b: string): boolean => a.split('.')[1] === b.split('.')[1];

async function tablesExist(tx: Sql, schema: string): Promise<boolean> {
  const rows = await tx.query(
    `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'read_model_meta'`,
    [schema],
  );
  return rows.length > 0;
}

/** What `read_model_meta` says of the rows: their projection version, log id, and whether a start's rebuild is under way. */
export async function readMeta(tx: Pick<Sql, 'query'>): Promise<Map<string, string>> {
  const rows = await tx.query<{ key: string; value: string }>('SELECT key, value FROM read_model_meta');
  return new Map(rows.map((r) => [r.key, r.value]));
}

/**
 * Holds `schema`'s checkpoint table alone, in ACCESS EXCLUSIVE mode, until the
 * transaction ends: the first lock a transaction must take before it drops
 * or replaces the tables readers use. Every query reads the checkpoint first
 * (answerQuery), so taking it first waits for the queries in flight and holds
 * back new ones before any other table is locked. A `DROP SCHEMA … CASCADE`
 * alone locks the tables in catalog order, which after some DDL and vacuums
 * puts others before the checkpoint: a query holding the checkpoint then
 * waits for the drop, the drop for the query, and PostgreSQL breaks the
 * deadlock by failing one of them (the query answers 1500, or the rebuild
 * fails and starts over).
 */
export async function holdReadersOff(tx: Sql, schema: string): Promise<void> {
  const [found] = await tx.query<{ table: string | null }>('SELECT to_regclass($1)::text AS table', [
    `${quoteIdent(schema)}.checkpoint`,
  ]);
  if (found?.table) await tx.exec(`LOCK TABLE ${quoteIdent(schema)}.checkpoint IN ACCESS EXCLUSIVE MODE`);
}

export async function createTables(tx: Sql, schema: string, logId: string): Promise<void> {
  await holdReadersOff(tx, schema);
  await tx.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE; CREATE SCHEMA ${quoteIdent(schema)}`);
  await tx.exec(`SET LOCAL search_path TO ${quoteIdent(schema)}`);
  for (const migration of migrations) await tx.exec(migration.sql);
  await tx.query('INSERT INTO read_model_meta (key, value) VALUES ($1, $2), ($3, $4)', [
    'projection_version',
    projectionVersion,
    'log_id',
    logId,
  ]);
}

/** For the projector: tables ready, and rows that belong to this version and this log. */
export function installForProjector(store: ReadStore, logId: string): Promise<InstallOutcome> {
  return store.withSchemaLock(async (tx) => {
    if (!(await tablesExist(tx, store.schema))) {
      await createTables(tx, store.schema, logId);
      return { rebuild: true, reason: store.startedEmpty ? 'unclean-stop' : 'new' };
    }
    const meta = await readMeta(tx);
    const stored = meta.get('projection_version') ?? '';
    if (isNewerVersion(stored, projectionVersion)) throw new ProjectionsNewer(stored);
    if (meta.get('log_id') !== logId) {
      await createTables(tx, store.schema, logId);
      return { rebuild: true, reason: 'log' };
    }
    // Raised to this version by a start whose rebuild has not been swapped in
    // yet (it stopped, or lost its lock): the rows are still the older
    // handlers' with this version's applied after them, so rebuild again.
    if (stored === projectionVersion)
      return meta.has(rebuildingFromKey) ? { rebuild: 'in-shadow', reason: 'version' } : { rebuild: false };
    if (sameTables(stored, projectionVersion)) {
      // The rows are this version's from now on: it applies to them while it
      // rebuilds (so they stay current), and an older binary taking the lock
      // meanwhile refuses rather than applying its handlers after these.
      await tx.query(`UPDATE read_model_meta SET value = $1 WHERE key = 'projection_version'`, [
        projectionVersion,
      ]);
      // Kept if an earlier start left it: the rows still hold that older version's work.
      await tx.query(
        'INSERT INTO read_model_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
        [rebuildingFromKey, stored],
      );
      return { rebuild: 'in-shadow', reason: 'version' };
    }
    await createTables(tx, store.schema, logId);
    return { rebuild: true, reason: 'version' };
  });
}

/** For a query server: it only reads, and waits (answering "stale") until a projector made the tables. */
export async function tablesReady(store: ReadStore): Promise<boolean> {
  return tablesExist(store, store.schema);
}
