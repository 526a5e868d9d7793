import { randomUUID } from 'node:crypto';
import { type CamledgerClient, createClient } from '@camledger/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CamledgerProcess, startCamledger } from '../support/camledger-process.ts';
import { accepted, recordClip, registerCamera, registerNamedUser } from '../support/fixtures.ts';
import { authorization, type Signer } from './support.ts';

// DOMAIN.md §6 end to end: an HTTP client of the edge, with every part real
// and in the one process `pnpm start` runs (worker on JetStream, projector
// into PGlite, query server, edge). Users, cameras and clips come in over
// NATS as the identity service and the camera ingest send them (internal);
// everything a user does goes through signed HTTP, and each read names the
// `position` of the write before it (read-your-writes).

let c: CamledgerProcess;
let client: CamledgerClient;
let signer: Signer;
let cameraId: string;
let userId: string;

beforeAll(async () => {
  c = await startCamledger();
  client = createClient(c.nc, { prefix: c.prefix, timeoutMs: 15_000 });
  const user = await registerNamedUser(client, 'http');
  userId = user.id;
  cameraId = await registerCamera(client, user.id);
  const consumer = accepted(await client.auth.add_consumer({ name: 'e2e app' }));
  const token = accepted(
    await client.auth.issue_token({ consumer_key: String(consumer.consumer_key), user_id: user.id }),
  );
  signer = {
    consumer: { key: String(consumer.consumer_key), secret: String(consumer.consumer_secret) },
    token: { key: String(token.token), secret: String(token.token_secret) },
  };
  await untilTheEdgeSeesTheToken();
}, 150_000);
afterAll(() => c?.dispose());

interface LookedUp {
  readonly consumer?: { readonly active?: boolean } | null;
  readonly token?: { readonly active?: boolean } | null;
}

/** Asks the look-up the edge uses (`<prefix>.edge.credentials`) about `who` until `ready` holds of its answer. */
async function untilTheLookUpSays(who: Signer, ready: (found: LookedUp) => boolean): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const msg = await c.nc.request(
      `${c.prefix}.edge.credentials`,
      JSON.stringify({ consumer_key: who.consumer.key, token: who.token?.key }),
      { timeout: 5_000 },
    );
    if (ready(msg.json<{ result?: LookedUp }>().result ?? {})) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the look-up never said so');
}

/** As `camledger edge token issue` does: ask the look-up the edge uses until the token shows. */
const untilTheEdgeSeesTheToken = (who: Signer = signer) =>
  untilTheLookUpSays(who, (found) => found.token?.active === true);

interface Entry {
  readonly item_id?: string;
  readonly folder_id?: string;
  readonly name?: string;
}

interface Answer {
  readonly status: number;
  readonly body: {
    code: number;
    result: { folder_id: string; folders: Entry[]; items: Entry[]; page?: number; total?: number };
    position?: number;
    stale?: boolean;
    error?: string;
  };
  readonly text: string;
}

/** One signed request; a POST sends `params` as a form body (signed too), a GET as the query string. */
async function http(
  method: 'GET' | 'POST',
  path: string,
  params: Record<string, string | number> = {},
  headers: Record<string, string> = {},
): Promise<Answer> {
  const pairs = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
  // Spaces as %20: the oauth-1.0a library reads a `+` in a URL's query as a plus, where RFC 5849 (and the edge) read a space.
  const query = Object.entries(pairs)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const url = method === 'GET' && query ? `${c.edgeUrl}${path}?${query}` : `${c.edgeUrl}${path}`;
  const form = method === 'POST' ? pairs : undefined;
  const init: RequestInit = {
    method,
    headers: { ...headers, Authorization: authorization(signer, method, url, form).Authorization },
  };
  if (form) {
    (init.headers as Record<string, string>)['Content-Type'] = 'application/x-www-form-urlencoded';
    init.body = query;
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let body = {} as Answer['body'];
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body, text };
}

/** A write that must succeed; its position, for the read after it. */
async function write(path: string, params: Record<string, string | number>, code: number): Promise<Answer> {
  const answer = await http('POST', path, params);
  expect(answer.body, answer.text).toMatchObject({ code, position: expect.any(Number) });
  expect(answer.status).toBe(200);
  return answer;
}

/** A read at least as new as `after` (the position of a write); never stale. */
async function read(path: string, params: Record<string, string | number>, after: Answer): Promise<Answer> {
  const answer = await http('GET', path, {
    ...params,
    min_position: after.body.position ?? 0,
    wait_ms: 5000,
  });
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body.stale).toBeUndefined();
  return answer;
}

const ids = (list: readonly { item_id?: string; folder_id?: string }[]) =>
  list.map((x) => x.item_id ?? x.folder_id);

describe('a user through HTTP, reading their own writes', () => {
  it('creates folders, moves recorded clips, lists, trashes and restores them (JSON)', async () => {
    const garden = await write('/folder/create.json', { name: 'Garden', parent_id: 0 }, 10000);
    const gardenId = garden.body.result.folder_id;
    const shed = await write('/folder/create.json', { name: 'Shed', parent_id: gardenId }, 10000);
    const folders = await read('/folder/get_list.json', { parent_id: gardenId }, shed);
    expect(ids(folders.body.result.folders)).toEqual([shed.body.result.folder_id]);

    // Clips arrive from the camera ingest (internal, over NATS) into the inbox.
    const first = await recordClip(client, cameraId);
    const second = await recordClip(client, cameraId);
    const moved = await write('/item/move.json', { item_id: first, folder_id: gardenId }, 13002);

    const inGarden = await read('/item/get_list.json', { folder_id: gardenId }, moved);
    expect(ids(inGarden.body.result.items)).toEqual([first]);
    expect(inGarden.body.result).toMatchObject({ page: 1, total: 1 });
    const inbox = await read('/item/get_list.json', { folder_id: 0 }, moved);
    expect(ids(inbox.body.result.items)).toEqual([second]);

    const badDate = await http('GET', '/item/get_list.json', { folder_id: 0, datetime: 'yesterday' });
    expect(badDate.status).toBe(400);
    expect(badDate.body).toMatchObject({ code: 3009 });

    const trashed = await write('/item/delete.json', { item_id: first }, 13101);
    const trash = await read('/trash/get_list.json', {}, trashed);
    expect(ids(trash.body.result.items)).toEqual([first]);
    expect((await read('/item/get_list.json', { folder_id: gardenId }, trashed)).body.result.items).toEqual(
      [],
    );

    const restored = await write('/item/restore.json', { item_id: first }, 10000);
    expect(
      ids((await read('/item/get_list.json', { folder_id: gardenId }, restored)).body.result.items),
    ).toEqual([first]);
    expect((await read('/trash/get_list.json', {}, restored)).body.result.items).toEqual([]);
  }, 120_000);

  it('answers in XML too: the same fields as elements, a list repeating its element', async () => {
    const parent = await write('/folder/create.json', { name: 'Porch', parent_id: 0 }, 10000);
    const parentId = parent.body.result.folder_id;
    const a = await http('POST', '/folder/create.xml', { name: 'Apples', parent_id: parentId });
    expect(a.status).toBe(200);
    expect(a.text).toMatch(
      /<response><code>10000<\/code><message>[^<]+<\/message><result><folder_id>fld_\w+<\/folder_id>/,
    );
    const position = Number(/<position>(\d+)<\/position>/.exec(a.text)?.[1]);
    expect(position).toBeGreaterThan(0);
    await http('POST', '/folder/create.xml', { name: 'Bees', parent_id: parentId });
    const last = await write('/folder/create.json', { name: 'Cherries', parent_id: parentId }, 10000);

    const list = await http('GET', '/folder/get_list.xml', {
      parent_id: parentId,
      min_position: last.body.position ?? 0,
      wait_ms: 5000,
    });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain('<stale>');
    const folders = /<folders>(.*)<\/folders>/.exec(list.text)?.[1] ?? '';
    expect(
      [...folders.matchAll(/<folder><folder_id>fld_\w+<\/folder_id><name>(\w+)<\/name>/g)].map((m) => m[1]),
    ).toEqual(['Apples', 'Bees', 'Cherries']);
    expect(list.text).toContain('<total>3</total>');

    const badDate = await http('GET', '/item/get_list.xml', {
      folder_id: 0,
      datetime: '2026-13-45 99:00:00',
    });
    expect(badDate.status).toBe(400);
    expect(badDate.text).toContain('<code>3009</code>');
  }, 120_000);

  it('a retried POST with the same Idempotency-Key is applied once and answered alike', async () => {
    const key = randomUUID();
    const params = { name: 'Retried', parent_id: 0 };
    const first = await http('POST', '/folder/create.json', params, { 'Idempotency-Key': key });
    const retry = await http('POST', '/folder/create.json', params, { 'Idempotency-Key': key }); // new nonce, same key
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    // Without the key the same request is a new command: the name is taken now.
    const again = await http('POST', '/folder/create.json', params);
    expect(again.body).toMatchObject({ code: 4005 });

    const top = await read('/folder/get_list.json', { parent_id: 0, qty: 20 }, first);
    const named = top.body.result.folders.filter((f) => f.name === 'Retried');
    expect(named).toHaveLength(1);
  }, 60_000);
});

describe('credentials revoked or removed, through the look-up the edge really asks', () => {
  const signedGet = async (who: Signer) => {
    const url = `${c.edgeUrl}/folder/get_list.json?parent_id=0`;
    const response = await fetch(url, {
      headers: { Authorization: authorization(who, 'GET', url).Authorization },
    });
    return { status: response.status, body: (await response.json()) as { code?: number } };
  };

  it('a revoked token is 401 with 8, a removed consumer 401 with 4; served until then', async () => {
    const consumer = accepted(await client.auth.add_consumer({ name: 'short-lived app' }));
    const token = accepted(
      await client.auth.issue_token({ consumer_key: String(consumer.consumer_key), user_id: userId }),
    );
    const who: Signer = {
      consumer: { key: String(consumer.consumer_key), secret: String(consumer.consumer_secret) },
      token: { key: String(token.token), secret: String(token.token_secret) },
    };
    await untilTheEdgeSeesTheToken(who);
    expect(await signedGet(who)).toMatchObject({ status: 200, body: { code: 10000 } });

    accepted(await client.auth.revoke_token({ token: String(token.token) }));
    await untilTheLookUpSays(who, (found) => found.token?.active === false);
    expect(await signedGet(who)).toMatchObject({ status: 401, body: { code: 8 } });

    accepted(await client.auth.remove_consumer({ consumer_key: String(consumer.consumer_key) }));
    await untilTheLookUpSays(who, (found) => found.consumer?.active === false);
    expect(await signedGet(who)).toMatchObject({ status: 401, body: { code: 4 } });
  }, 60_000);
});

describe('credentials no one was issued, through the look-up the edge really asks', () => {
  const signed = async (who: Signer) => {
    const url = `${c.edgeUrl}/folder/get_list.json?parent_id=0`;
    const response = await fetch(url, {
      headers: { Authorization: authorization(who, 'GET', url).Authorization },
    });
    return { status: response.status, body: (await response.json()) as { code?: number } };
  };

  it('a consumer key longer than any issued is 401 with 4, not 1500', async () => {
    const who = { ...signer, consumer: { key: 'k'.repeat(129), secret: 'x' } };
    expect(await signed(who)).toMatchObject({ status: 401, body: { code: 4 } });
  });

  it('a token longer than any issued is 401 with 8, not 1500', async () => {
    const who = { ...signer, token: { key: 't'.repeat(129), secret: 'x' } };
    expect(await signed(who)).toMatchObject({ status: 401, body: { code: 8 } });
  });
});
