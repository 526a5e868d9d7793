import {
  openReadStore,
  projectionVersion,
  type ReadStore,
  readMeta,
  rebuildingFromKey,
  startProjector,
} from '@camledger/read-model';
import { readStoreKinds, testReadStorePlace } from '@camledger/read-model/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProjectorService } from '../../services/query-server/src/index.ts';
import { type ReadSide, startReadSide } from './support/read-side.ts';
import { appliedThrough, rowsOf } from './support/rows.ts';
import { varietyHistory } from './support/steps.ts';

// Rebuild equals live: the rows a projector builds while commands arrive
// are the rows another builds from the start of the same log afterwards,
// whatever the batch size. A difference means an event applied twice,
// skipped, or applied in a way that depends on what came in its batch.

describe.each(readStoreKinds)('rebuild on %s', (kind) => {
  let side: ReadSide;
  beforeAll(async () => {
    side = await startReadSide(kind);
  });
  afterAll(() => side?.stop());

  it('a projector from position zero, one event per batch, builds exactly the live rows', async () => {
    await varietyHistory(side.tw.client, side.tw.prefix.slice(0, 8));
    const head = await side.head();
    await appliedThrough(side.store, head);
    const live = await rowsOf(side.store);
    expect(live.items?.length).toBeGreaterThan(3);
    expect(live.network_invitations).toHaveLength(1);
    expect(live.forum_posts).toHaveLength(2);
    expect(live.private_messages).toHaveLength(2);
    const actives = (rows: unknown[] | undefined) =>
      (rows as Array<{ active: boolean }>).map((row) => row.active).sort();
    expect(actives(live.edge_consumers)).toEqual([false, true]);
    expect(actives(live.edge_tokens)).toEqual([false, true, true]);

    const place = await testReadStorePlace(kind);
    let rebuilt: ReadStore | undefined;
    try {
      rebuilt = await openReadStore(place.config);
      const projector = startProjector({ events: side.events, readStore: rebuilt, batchSize: 1 });
      await appliedThrough(rebuilt, head);
      await projector.stop();
      expect(await rowsOf(rebuilt)).toEqual(live);
    } finally {
      await rebuilt?.close();
      await place.dispose();
    }
  });

  it('projector.rebuild over NATS swaps in equal rows; queries answer throughout and position never goes back', async () => {
    await startProjectorService(side.tw.nc, {
      prefix: side.tw.prefix,
      store: side.store,
      events: side.events,
      projector: side.projector,
    });
    const [ann] = await varietyHistory(side.tw.client, `${side.tw.prefix.slice(0, 6)}r`);
    const head = await side.head();
    await appliedThrough(side.store, head);
    const live = await rowsOf(side.store);
    // A row gone wrong (by hand here): the rebuild must replace it with what the log says.
    await side.store.query(`UPDATE accounts SET display_name = 'tampered' WHERE user_id = $1`, [ann]);

    const polling = pollAnswers(side, ann as string);
    const reply = await side.tw.nc.request(`${side.tw.prefix}.projector.rebuild`, '', { timeout: 120_000 });
    const answers = await polling.stop();
    expect(JSON.parse(reply.string())).toEqual({ ok: true, code: 10000, result: { applied_position: head } });
    expect(await rowsOf(side.store)).toEqual(live);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((a) => a.ok === true)).toBe(true);
    const positions = answers.map((a) => a.position as number);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(positions[0]).toBe(head);
    // The projector goes on applying after the swap.
    await varietyHistory(side.tw.client, `${side.tw.prefix.slice(0, 6)}s`);
    await appliedThrough(side.store, await side.head());
  });

  it('a rebuild while commands arrive swaps in exactly the rows a projector from zero builds', async () => {
    await varietyHistory(side.tw.client, `${side.tw.prefix.slice(0, 6)}c`);
    // The shadow fills while the live rows follow what these commands append.
    const rebuilt = side.projector.rebuild();
    await Promise.all([
      varietyHistory(side.tw.client, `${side.tw.prefix.slice(0, 6)}d`),
      varietyHistory(side.tw.client, `${side.tw.prefix.slice(0, 6)}e`),
    ]);
    await rebuilt;
    const head = await side.head();
    await appliedThrough(side.store, head);
    const swapped = await rowsOf(side.store);

    const place = await testReadStorePlace(kind);
    let fresh: ReadStore | undefined;
    try {
      fresh = await openReadStore(place.config);
      const projector = startProjector({ events: side.events, readStore: fresh });
      await appliedThrough(fresh, head);
      await projector.stop();
      expect(swapped).toEqual(await rowsOf(fresh));
    } finally {
      await fresh?.close();
      await place.dispose();
    }
  });

  it('a new version of the handlers at start: queries answer from the older rows until the rebuilt ones are swapped in', async () => {
    const [ann] = await varietyHistory(side.tw.client, `${side.tw.prefix.slice(0, 6)}v`);
    const head = await side.head();
    await appliedThrough(side.store, head);
    const live = await rowsOf(side.store);
    await side.projector.stop();
    // The rows as an older binary left them: its version, a row it wrote otherwise.
    const older = `0.${projectionVersion.split('.')[1]}`;
    await side.store.query(`UPDATE read_model_meta SET value = $1 WHERE key = 'projection_version'`, [older]);
    await side.store.query(`UPDATE accounts SET display_name = 'older version' WHERE user_id = $1`, [ann]);

    const polling = pollAnswers(side, ann as string);
    const upgraded = startProjector({
      events: side.events,
      readStore: side.store,
      batchSize: 1,
      retryMs: 50,
    });
    try {
      await upgraded.active;
      // The older rows' checkpoint is the head already: the swap is what to
      // wait for. The rows are this version's from the start on, marked as
      // taken over from the older one until the rebuilt rows replace them.
      const meta = async () => Object.fromEntries(await readMeta(side.store));
      for (let i = 0; i < 600 && (await meta())[rebuildingFromKey] !== undefined; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(await meta()).toMatchObject({ projection_version: projectionVersion });
      expect(await meta()).not.toHaveProperty(rebuildingFromKey);
      await appliedThrough(side.store, head);
      const answers = await polling.stop();
      expect(await rowsOf(side.store)).toEqual(live);
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.every((a) => a.ok === true)).toBe(true);
      // Never the partial rows of a rebuild in place: every answer is at the head already applied.
      expect(answers.map((a) => a.position)).toEqual(answers.map(() => head));
      await varietyHistory(side.tw.client, `${side.tw.prefix.slice(0, 6)}w`);
      await appliedThrough(side.store, await side.head());
      // The rebuild at start is over: status no longer tells it, and another can be asked for.
      expect(upgraded.rebuilding).toBeUndefined();
      await expect(upgraded.rebuild()).resolves.toEqual({ position: await side.head() });
    } finally {
      await polling.stop();
      await upgraded.stop();
    }
  });
});

/**
 * Asks `account.get` for `userId` over and over (without waiting for any
 * position) until stopped; `stop` hands back every answer, in order.
 */
function pollAnswers(side: ReadSide, userId: string) {
  const answers: Record<string, unknown>[] = [];
  let polling = true;
  const poll = (async () => {
    while (polling) {
      answers.push(await side.ask('account.get', userId, {}, { fresh: false }));
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    async stop() {
      polling = false;
      await poll;
      return answers;
    },
  };
}
