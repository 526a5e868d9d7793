import { openReadStore, type ReadStore, startProjector } from '@camledger/read-model';
import { readStoreKinds, testReadStorePlace } from '@camledger/read-model/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
