import type { ReadStoreConfig } from '../config.ts';
import { openPgliteReadStore } from './pglite.ts';
import type { ReadStore } from './port.ts';
import { openPostgresReadStore } from './postgres.ts';

/** The read store the configuration names. PGlite throws ReadStoreBusy when another process owns the directory. */
export function openReadStore(config: ReadStoreConfig): Promise<ReadStore> {
  return config.kind === 'postgres'
    ? openPostgresReadStore({ connectionString: config.connectionString, schema: config.schema })
    : openPgliteReadStore({ dataDir: config.dataDir, schema: config.schema });
}
