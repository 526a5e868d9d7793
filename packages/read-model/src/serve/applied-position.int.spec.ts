import { afterEach, describe, expect, it } from 'vitest';
import { installForProjector } from '../schema/install.ts';
import { openReadStore } from '../store/open.ts';
import type { ReadStore } from '../store/port.ts';
import { type TestReadStorePlace, testReadStorePlace } from '../testing/read-stores.ts';
import { AppliedPosition } from './applied-position.ts';

let place: TestReadStorePlace | undefined;
let store: ReadStore | undefined;
afterEach(async () => {
  await store?.close();
  await place?.dispose();
});

describe('AppliedPosition before anything is applied', () => {
  it('has min_position 0 reached at once, with or without tables; 1 is not', async () => {
    place = await testReadStorePlace('pglite');
    store = await openReadStore(place.config);
    // No tables yet (no projector has installed them), then tables with nothing applied.
    expect(await new AppliedPosition(store).waitFor(0, 2_000)).toBe(true);
    await installForProjector(store, 'log-a');
    expect(await new AppliedPosition(store).waitFor(0, 2_000)).toBe(true);
    expect(await new AppliedPosition(store).waitFor(1, 50)).toBe(false);
  });
});
