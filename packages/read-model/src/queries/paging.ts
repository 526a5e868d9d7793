import type { Sql } from '../store/port.ts';

// Lists (§4; their `page`/`qty` parameters are in the domain's query payloads): `page` >= 1 (default 1), `qty` 1..20 (default 20; frames
// 1..100, default 100), a stable order that the SQL spells out to the last
// tie (the id), and the true `total` also for a page past the end.

export interface Page {
  readonly page: number;
  readonly qty: number;
}

export const pageOf = (
  p: { page?: number | undefined; qty?: number | undefined },
  defaultQty = 20,
): Page => ({
  page: p.page ?? 1,
  qty: p.qty ?? defaultQty,
});

/**
 * Runs `select` (which must end with its ORDER BY) for one page and `count`
 * for the total, with the same parameters, and answers the list in the
 * shape of §4 under `key`.
 */
export async function listPage<R extends object>(
  db: Sql,
  key: string,
  page: Page,
  sql: { readonly select: string; readonly count: string; readonly params: readonly unknown[] },
  shape: (row: R) => unknown,
): Promise<Record<string, unknown>> {
  const n = sql.params.length;
  const rows = await db.query<R>(`${sql.select} LIMIT $${n + 1} OFFSET $${n + 2}`, [
    ...sql.params,
    page.qty,
    (page.page - 1) * page.qty,
  ]);
  const [count] = await db.query<{ total: number }>(sql.count, sql.params);
  return { [key]: rows.map(shape), page: page.page, qty: page.qty, total: Number(count?.total ?? 0) };
}
