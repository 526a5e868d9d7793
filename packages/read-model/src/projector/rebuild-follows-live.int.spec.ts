import { type EventStore, memoryEventStore, type RecordedEvent } from '@camledger/event-store';
import { afterEach, describe, expect, it } from 'vitest';
import { projectionVersion, readMeta, rebuildingFromKey } from '../schema/install.ts';
import { lookupEdgeCredentials } from '../serve/edge-credentials.ts';
import { openReadStore } from '../store/open.ts';
import type { ReadStore } from '../store/port.ts';
import { readStoreKinds, type TestReadStorePlace, testReadStorePlace } from '../testing/read-stores.ts';
import { CheckpointMoved } from './apply-batch.ts';
import { type Projector, type ProjectorLog, startProjector } from './projector.ts';

// A rebuild fills its shadow from the start of the log while the live rows go
// on following it: what is appended meanwhile counts at once (above all a
// revoked token, which the edge must refuse), and is in the rows swapped in
// at the end. So for a rebuild asked of a running projector, and for the one
// a start runs over rows of an older version of the handlers.

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

  /**
   * A log with an account, a consumer and its token, rows built from it, and
   * `events`: the log as a projector reads it, whose read of the whole log
   * (the rebuild's fill), once `hold()` is called, takes the log as it stands
   * and then waits until `release()`: what is appended meanwhile reaches the
   * swapped-in rows only by the catch-up after the fill.
   */
  async function setUp() {
    const log = memoryEventStore();
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
    const tokenActive = async () =>
      (await lookupEdgeCredentials(rows, { consumer_key: key, token })).token?.active;
    const meta = async () => Object.fromEntries(await readMeta(rows));
    const start = (log?: ProjectorLog) => {
      projector = startProjector({ events, readStore: rows, ...(log ? { log } : {}) });
      return projector;
    };
    const first = start();
    await first.active;
    expect(await until(tokenActive, (active) => active === true)).toBe(true);
    /** The rebuilt rows swapped in (the marker goes with the older rows), and the position on to `position`. */
    const swappedIn = async (upgraded: Projector, position: number) => {
      expect(await until(meta, (m) => !(rebuildingFromKey in m))).not.toHaveProperty(rebuildingFromKey);
      expect(
        await until(
          async () => upgraded.applied ?? -1,
          (at) => at >= position,
        ),
      ).toBeGreaterThanOrEqual(position);
    };
    return {
      log,
      rows,
      swappedIn,
      tokenActive,
      meta,
      start,
      fillHasRead,
      hold: () => {
        hold = true;
      },
      /** Stops the projector and leaves its rows as an older version of the handlers would have. */
      asOlderVersion: async () => {
        await first.stop();
        await rows.query(`UPDATE read_model_meta SET value = $1 WHERE key = 'projection_version'`, [
          `0.${projectionVersion.split('.')[1]}`,
        ]);
      },
    };
  }

  it('follows the live rows meanwhile: a token revoked during it is refused at once, and after the swap', async () => {
    const { log, tokenActive, fillHasRead, hold } = await setUp();
    const running = projector as Projector;

    hold();
    const rebuilt = running.rebuild();
    await fillHasRead;
    const revoked = await append(log, `token-${token}`, 'TokenRevoked', { token });
    expect(await until(tokenActive, (active) => active === false)).toBe(false);
    expect(running.rebuilding).toMatchObject({ position: null }); // the shadow is still empty

    release();
    const { position } = await rebuilt;
    expect(position).toBeGreaterThanOrEqual(revoked.position);
    expect(await tokenActive()).toBe(false);
  });

  it('at a start over an older version of the handlers, follows those rows too: a token revoked during it is refused at once', async () => {
    const { log, tokenActive, meta, start, fillHasRead, hold, asOlderVersion, swappedIn } = await setUp();
    await asOlderVersion();

    hold();
    const upgraded = start();
    await upgraded.active;
    await fillHasRead;
    // The rows are this version's now, marked as taken over until swapped:
    // a restart before the swap rebuilds again, an older binary refuses.
    expect(await meta()).toMatchObject({ projection_version: projectionVersion });
    expect(await meta()).toHaveProperty(rebuildingFromKey);
    const revoked = await append(log, `token-${token}`, 'TokenRevoked', { token });
    expect(await until(tokenActive, (active) => active === false)).toBe(false);
    expect(upgraded.rebuilding).toMatchObject({ position: null }); // the shadow is still empty

    release();
    await swappedIn(upgraded, revoked.position);
    expect(await tokenActive()).toBe(false);
  });

  it("at a start, today's handlers failing on the older rows leave them as they are, and the rebuild still swaps in", async () => {
    const { log, rows, tokenActive, start, fillHasRead, hold, asOlderVersion, swappedIn } = await setUp();
    await asOlderVersion();
    const errors: string[] = [];
    const log_: ProjectorLog = { info() {}, warn() {}, error: (_fields, message) => errors.push(message) };

    hold();
    const upgraded = start(log_);
    await upgraded.active;
    await fillHasRead;
    // Rows today's handlers cannot apply to: the revocation's update fails on them.
    await rows.exec('DROP TABLE edge_tokens');
    const revoked = await append(log, `token-${token}`, 'TokenRevoked', { token });
    expect(
      await until(
        async () => errors,
        (e) => e.length > 0,
      ),
    ).toEqual([
      "applying to the older version's rows failed: they are left as they are until the rebuilt ones are swapped in",
    ]);
    const leftAt = upgraded.applied;
    expect(leftAt).toBeLessThan(revoked.position);

    release();
    await swappedIn(upgraded, revoked.position);
    expect(await tokenActive()).toBe(false);
    // The round went on: no failure ended it and started the rebuild over.
    expect(errors).toHaveLength(1);
  });

  it('at a start, a checkpoint another projector moved ends the round: it is no handler failing on older rows', async () => {
    const { log, rows, start, fillHasRead, hold, asOlderVersion, swappedIn } = await setUp();
    await asOlderVersion();
    const errors: { message: string; err: unknown }[] = [];
    const log_: ProjectorLog = {
      info() {},
      warn() {},
      error: (fields, message) => errors.push({ message, err: (fields as { err?: unknown }).err }),
    };

    hold();
    const upgraded = start(log_);
    await upgraded.active;
    await fillHasRead;
    // Another projector (this one's lock gone unnoticed) applies the next append first.
    const next = (await log.headPosition()) + 1;
    await rows.query('UPDATE checkpoint SET position = $1', [next]);
    const revoked = await append(log, `token-${token}`, 'TokenRevoked', { token });
    expect(revoked.position).toBe(next);
    await until(
      async () => errors,
      (e) => e.length > 0,
      1000,
    );

    release();
    expect(
      await until(
        async () => errors,
        (e) => e.length > 0,
      ),
    ).toEqual([
      {
        message: 'projector round failed; starting again from the checkpoint',
        err: expect.any(CheckpointMoved),
      },
    ]);
    // The next round takes the rows over again from the moved checkpoint, and swaps in.
    await swappedIn(upgraded, revoked.position);
  });

  it('a start whose round ends before its rebuild begins leaves none behind for a later round over rows rebuilt meanwhile', async () => {
    const { log, rows, meta, asOlderVersion } = await setUp();
    await asOlderVersion();
    // Reads of the log from its start: a rebuild's fill.
    let fills = 0;
    const events: EventStore = {
      ...log,
      readAll: (options) => {
        if (options?.from === undefined) fills++;
        return log.readAll(options);
      },
    };
    // The first lock is lost at once (its round ends before the rebuild it
    // queued begins); the second is had only once the test lets it.
    let locks = 0;
    let letSecond: () => void = () => {};
    const second = new Promise<void>((resolve) => {
      letSecond = resolve;
    });
    const store: ReadStore = {
      ...rows,
      async acquireProjectorLock(options) {
        locks++;
        if (locks === 1) return { lost: Promise.resolve(), release: async () => {} };
        await second;
        return rows.acquireProjectorLock(options);
      },
    };
    projector = startProjector({ events, readStore: store, retryMs: 10 });
    await until(
      async () => locks,
      (n) => n >= 2,
    );
    expect(await meta()).toHaveProperty(rebuildingFromKey);
    // Meanwhile the projector that took over rebuilt the rows and swapped them in.
    await rows.query('DELETE FROM read_model_meta WHERE key = $1', [rebuildingFromKey]);
    letSecond();

    const revoked = await append(log, `token-${token}`, 'TokenRevoked', { token });
    const running = projector;
    expect(
      await until(
        async () => running.applied ?? -1,
        (at) => at >= revoked.position,
      ),
    ).toBeGreaterThanOrEqual(revoked.position);
    // Rows of this version: nothing to rebuild.
    expect(
      await until(
        async () => fills,
        (n) => n > 0,
        500,
      ),
    ).toBe(0);
    expect(running.rebuilding).toBeUndefined();
  });
});
