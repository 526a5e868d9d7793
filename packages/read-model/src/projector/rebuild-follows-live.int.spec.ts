import { type EventStore, memoryEventStore, type RecordedEvent } from '@camledger/event-store';
import { afterEach, describe, expect, it } from 'vitest';
import { lookupEdgeCredentials } from '../serve/edge-credentials.ts';
import { openReadStore } from '../store/open.ts';
import type { ReadStore } from '../store/port.ts';
import { readStoreKinds, type TestReadStorePlace, testReadStorePlace } from '../testing/read-stores.ts';
import { type Projector, startProjector } from './projector.ts';

// A rebuild asked of a running projector fills its shadow from the start of
// the log while the live rows go on following it: what is appended meanwhile
// counts at once (above all a revoked token, which the edge must refuse),
// and is in the rows swapped in at the end.

const key = 'ock_01TESTCONSUMER000000000000';
const token = 'otk_01TESTTOKEN00000000000000';
const user = 'usr_01TESTUSER000000000000000';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const append = (store: EventStore, stream: string, type: string, data: Record<string, unknown>) =>
  store.append(
    stream,
    [
      {
        id: crypto.randomUUID(),
        type,
        data,
        metadata: { occurredAt: new Date().toISOString(), schemaVersion: 1 },
      },
    ],
    { expectedRevision: 'any' },
  );

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > end) return value;
    await sleep(25);
  }
}

describe.each(readStoreKinds)('a rebuild on %s', (kind) => {
  let place: TestReadStorePlace | undefined;
  let readStore: ReadStore | undefined;
  let projector: Projector | undefined;
  let release: () => void = () => {};
  afterEach(async () => {
    release();
    await projector?.stop();
    await readStore?.close();
    await place?.dispose();
  });

  it('follows the live rows meanwhile: a token revoked during it is refused at once, and after the swap', async () => {
    const log = memoryEventStore();
    // The rebuild's read of the whole log takes the log as it stands when the
    // fill begins, then waits until the test lets it go on: what is appended
    // meanwhile reaches the swapped-in rows only by the catch-up after the fill.
    let hold = false;
    const held = new Promise<void>((resolve) => {
      release = () => {
        hold = false;
        resolve();
      };
    });
    let fillBegan: () => void = () => {};
    const fillHasRead = new Promise<void>((resolve) => {
      fillBegan = resolve;
    });
    const events: EventStore = {
      ...log,
      readAll: (options) =>
        (async function* () {
          if (!hold) return yield* log.readAll(options);
          const asItStood: RecordedEvent[] = [];
          for await (const event of log.readAll(options)) asItStood.push(event);
          fillBegan();
          await held;
          yield* asItStood;
        })(),
    };
    await append(log, `account-${user}`, 'AccountRegistered', {
      userId: user,
      username: 'dana',
      displayName: '',
    });
    await append(log, `consumer-${key}`, 'ConsumerAdded', { consumerKey: key, name: 'demo', secret: 'v1.c' });
    await append(log, `token-${token}`, 'TokenIssued', {
      token,
      consumerKey: key,
      userId: user,
      secret: 'v1.t',
    });

    place = await testReadStorePlace(kind);
    readStore = await openReadStore(place.config);
    const rows = readStore;
    projector = startProjector({ events, readStore: rows });
    await projector.active;
    const tokenActive = async () =>
      (await lookupEdgeCredentials(rows, { consumer_key: key, token })).token?.active;
    expect(await until(tokenActive, (active) => active === true)).toBe(true);

    hold = true;
    const rebuilt = projector.rebuild();
    await fillHasRead;
    const revoked = await append(log, `token-${token}`, 'TokenRevoked', { token });
    expect(await until(tokenActive, (active) => active === false)).toBe(false);
    expect(projector.rebuilding).toMatchObject({ position: null }); // the shadow is still empty

    release();
    const { position } = await rebuilt;
    expect(position).toBeGreaterThanOrEqual(revoked.position);
    expect(await tokenActive()).toBe(false);
  });
});
