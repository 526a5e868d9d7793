import type { RecordedEvent } from '@camledger/event-store';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyBatch, readCheckpoint } from '../projector/apply-batch.ts';
import { installForProjector } from '../schema/install.ts';
import { lookupEdgeCredentials } from '../serve/edge-credentials.ts';
import { openReadStore } from '../store/open.ts';
import type { ReadStore } from '../store/port.ts';
import { type TestReadStorePlace, testReadStorePlace } from '../testing/read-stores.ts';

// Given the auth slice's events, the edge's look-up answers what verifying a
// request needs, the secrets exactly as sealed in the events (the read store
// never holds one in clear), and revoked or removed credentials as inactive
// rather than unknown.

let place: TestReadStorePlace;
let store: ReadStore;
let position = 0;

beforeAll(async () => {
  place = await testReadStorePlace('postgres');
  store = await openReadStore(place.config);
  await installForProjector(store, 'edge-credentials');
});
afterAll(async () => {
  await store.close();
  await place.dispose();
});

async function given(...events: [stream: string, type: string, data: Record<string, unknown>][]) {
  const recorded: RecordedEvent[] = events.map(([stream, type, data]) => ({
    id: crypto.randomUUID(),
    stream,
    revision: 0,
    position: ++position,
    type,
    data,
    metadata: { occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, position)).toISOString(), schemaVersion: 1 },
  }));
  await applyBatch(store, recorded, await readCheckpoint(store));
}

const key = 'ock_01TESTCONSUMER000000000000';
const token = 'otk_01TESTTOKEN00000000000000';
const orphan = 'otk_01TESTORPHAN0000000000000';
const user = 'usr_01TESTUSER000000000000000';

it('answers the sealed secrets, who the token is for, and whether its user is registered', async () => {
  await given(
    [`account-${user}`, 'AccountRegistered', { userId: user, username: 'dana', displayName: '' }],
    [`consumer-${key}`, 'ConsumerAdded', { consumerKey: key, name: 'demo', secret: 'v1.sealed-consumer' }],
    [`token-${token}`, 'TokenIssued', { token, consumerKey: key, userId: user, secret: 'v1.sealed-token' }],
    [
      `token-${orphan}`,
      'TokenIssued',
      { token: orphan, consumerKey: key, userId: 'usr_01NOBODY', secret: 'v1.sealed-orphan' },
    ],
  );
  expect(await lookupEdgeCredentials(store, { consumer_key: key, token })).toEqual({
    consumer: { secret: 'v1.sealed-consumer', active: true },
    token: {
      secret: 'v1.sealed-token',
      consumer_key: key,
      user_id: user,
      active: true,
      user_registered: true,
    },
  });
  expect((await lookupEdgeCredentials(store, { consumer_key: key, token: orphan })).token).toMatchObject({
    user_registered: false,
  });
  expect(await lookupEdgeCredentials(store, { consumer_key: 'ock_unknown' })).toEqual({
    consumer: null,
    token: null,
  });
});

it('a revoked token and a removed consumer stay, inactive', async () => {
  await given(
    [`token-${token}`, 'TokenRevoked', { token }],
    [`consumer-${key}`, 'ConsumerRemoved', { consumerKey: key }],
  );
  const found = await lookupEdgeCredentials(store, { consumer_key: key, token });
  expect(found.consumer).toEqual({ secret: 'v1.sealed-consumer', active: false });
  expect(found.token).toMatchObject({ secret: 'v1.sealed-token', active: false });
});
