import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadStoreConfig } from '../config.ts';
import { shadowSchemaOf } from '../schema/shadow.ts';
import { dropPostgresSchema } from '../store/postgres.ts';

// Read stores for tests: a PostgreSQL schema of the run's own on the
// machine's server, or a PGlite directory of its own, each removed after.

export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type ReadStoreKind = ReadStoreConfig['kind'];
export const readStoreKinds: readonly ReadStoreKind[] = ['pglite', 'postgres'];

export interface TestReadStorePlace {
  readonly config: ReadStoreConfig;
  /** Removes the schema or the directory. */
  dispose(): Promise<void>;
}

export const uniqueSchema = (tag = 'rm') => `${tag}${randomBytes(5).toString('hex')}`;

export async function testReadStorePlace(
  kind: ReadStoreKind,
  schema = uniqueSchema(),
): Promise<TestReadStorePlace> {
  if (kind === 'postgres')
    return {
      config: { kind, schema, connectionString: databaseUrl },
      dispose: async () => {
        await dropPostgresSchema(databaseUrl, schema);
        // Left behind only by a rebuild that failed before its swap.
        await dropPostgresSchema(databaseUrl, shadowSchemaOf(schema));
      },
    };
  const dataDir = await mkdtemp(join(tmpdir(), 'camledger-read-'));
  return {
    config: { kind, schema, dataDir },
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
}
