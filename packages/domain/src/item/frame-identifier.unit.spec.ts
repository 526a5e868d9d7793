import { specFor } from '@camledger/testing';
import { describe, it } from 'vitest';
import { clipId, frameId, garden, world } from '../testing/fixtures/item.ts';
import { itemSlice } from './index.ts';

// Frame identifiers are opaque strings from the camera: matched exactly, case
// included (docs/decisions.md). A differently-cased identifier names no frame.

const given = specFor(itemSlice.commands);
const shouted = frameId(2).toUpperCase();

describe('item.save_snapshot frame identifier', () => {
  it('in another case is not in the clip: 3007', async () => {
    await given(world())
      .when('item.save_snapshot', { item_id: clipId, folder_id: garden, identifier: shouted })
      .thenRejects('IdentifierNotInClip', { identifier: shouted });
  });
});
