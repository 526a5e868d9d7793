import { type ReadStore, readCheckpoint } from '@camledger/read-model';

// What a read store holds, table by table in primary-key order, to compare
// two stores built from one log (live against rebuilt).

const tables: Readonly<Record<string, string>> = {
  accounts: 'user_id',
  cameras: 'camera_id',
  folders: 'folder_id',
  items: 'item_id',
  frames: 'item_id, seq',
  networks: 'network_id',
  network_members: 'network_id, user_id',
  network_requests: 'network_id, user_id',
  network_invitations: 'invitation_id',
  forum_threads: 'thread_id',
  forum_posts: 'thread_id, seq',
  private_threads: 'thread_id',
  private_messages: 'thread_id, seq',
  edge_consumers: 'consumer_key',
  edge_tokens: 'token',
};

export async function rowsOf(store: ReadStore): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const [table, key] of Object.entries(tables))
    rows[table] = await store.query(`SELECT * FROM ${table} ORDER BY ${key}`);
  rows.checkpoint = [await readCheckpoint(store)];
  return rows;
}

/** Resolves once the store's checkpoint has reached `position`. */
export async function appliedThrough(store: ReadStore, position: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const applied = await readCheckpoint(store).catch(() => null);
    if (applied !== null && applied >= position) return;
    if (Date.now() > deadline)
      throw new Error(`read store stuck at ${String(applied)}, expected ${position}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
