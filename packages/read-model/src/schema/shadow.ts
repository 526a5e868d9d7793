import { readCheckpoint } from '../projector/apply-batch.ts';
import { quoteIdent, type ReadStore, type Sql } from '../store/port.ts';
import { createTables, holdReadersOff } from './install.ts';

// A rebuild fills a shadow copy of the tables (schema `<schema>$shadow`)
// while queries go on reading the live ones, then swaps it in with one
// transaction: wait for the readers (holdReadersOff), drop the live schema,
// rename the shadow to its name. Connections name the schema in their search path, so they read the new
// tables from their next statement on.

/**
 * `$` is in no prefix (letters, digits, - and _), so the shadow of one
 * prefix is never the live schema of another (`x__shadow` once was).
 */
export const shadowSchemaOf = (schema: string) => `${schema}$shadow`;

/** The same store, every statement of which runs with `schema` as its search path. */
export function inSchema(store: ReadStore, schema: string): ReadStore {
  const scoped = <T>(fn: (tx: Sql) => Promise<T>) =>
    store.transaction(async (tx) => {
      await tx.exec(`SET LOCAL search_path TO ${quoteIdent(schema)}`);
      return fn(tx);
    });
  return {
    ...store,
    schema,
    query: (text, params) => scoped((tx) => tx.query(text, params)),
    exec: (text) => scoped((tx) => tx.exec(text)),
    transaction: scoped,
  };
}

/** Empty tables in the shadow schema, remembering the log they are built from. */
export function createShadow(store: ReadStore, logId: string): Promise<ReadStore> {
  const shadow = shadowSchemaOf(store.schema);
  return store.withSchemaLock(async (tx) => {
    await createTables(tx, shadow, logId);
    return inSchema(store, shadow);
  });
}

/** The live rows are further on than the shadow's: swapping would move `position` back. */
export class ShadowBehind extends Error {}

/**
 * The shadow's rows, applied up to `position`, become the live ones, at once
 * for every reader, unless the live ones are further on: a projector that
 * lost its lock while rebuilding must not undo what the one that took over
 * applied (§4: a position never goes backwards).
 */
export function swapInShadow(store: ReadStore, position: number | null): Promise<void> {
  return store.withSchemaLock(async (tx) => {
    await holdReadersOff(tx, store.schema);
    const live = await readCheckpoint(tx);
    if ((live ?? -1) > (position ?? -1))
      throw new ShadowBehind(
        `the live projections are at ${live}, past the rebuilt ${position}: not swapped in`,
      );
    await tx.exec(
      `DROP SCHEMA ${quoteIdent(store.schema)} CASCADE;
       ALTER SCHEMA ${quoteIdent(shadowSchemaOf(store.schema))} RENAME TO ${quoteIdent(store.schema)}`,
    );
  });
}
