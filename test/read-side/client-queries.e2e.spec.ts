import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerUser } from '../support/fixtures.ts';
import { type ReadSide, startReadSide } from './support/read-side.ts';

// The typed client's queries (`client.query.<object>.<action>`) against a
// real query server and projector: a command, then a query that waits for
// the command's `position`, sees the write.

let side: ReadSide;
beforeAll(async () => {
  side = await startReadSide('postgres');
});
afterAll(() => side?.stop());

it('a command then a query at its position, through the client, sees the write', async () => {
  const { client } = side.tw;
  const actor = await registerUser(client);
  const created = await client.folder.create({ name: 'Garden', parent_id: 0 }, { actor });
  if (!created.ok) throw new Error(`folder.create rejected: ${JSON.stringify(created)}`);
  const position = created.position ?? Number.NaN;
  expect(position).toBeGreaterThan(0);

  const listed = await client.query.folder.get_list(
    { parent_id: 0, min_position: position, wait_ms: 5000 },
    { actor },
  );
  expect(listed).toMatchObject({
    ok: true,
    code: 10000,
    result: { folders: [{ folder_id: created.result.folder_id, name: 'Garden' }], total: 1 },
  });
  expect(listed.ok && listed.position).toBeGreaterThanOrEqual(position);
  expect(listed.stale).toBeUndefined();

  const items = await client.query.item.get_list({ folder_id: created.result.folder_id ?? '' }, { actor });
  expect(items).toMatchObject({ ok: true, result: { items: [], total: 0 } });
});

it("answers a query's codes through the client", async () => {
  const { client } = side.tw;
  const actor = await registerUser(client);
  expect(
    await client.query.item.get({ item_id: 'itm_nothere', min_position: await side.head() }, { actor }),
  ).toMatchObject({
    ok: false,
    code: 3000,
  });
  expect(await client.query.item.get_list({ folder_id: 0, datetime: 'yesterday' }, { actor })).toMatchObject({
    ok: false,
    code: 3009,
  });
  expect(await client.query.account.get({}, { actor: 'usr_nobody' })).toMatchObject({ ok: false, code: 8 });
});
