import { describe, expect, it } from 'vitest';
import { toRecorded } from './store.ts';

// How an EventStoreDB event becomes a recorded event, without a server (none
// runs on the CI machine). Only the last event of one of our appends carries
// the marker; a reader checkpoints only at an append's last event.

const event = (metadata: Record<string, unknown> | undefined) =>
  ({
    id: 'e1',
    streamId: 'item-a',
    revision: 3n,
    type: 'ItemFlagSet',
    data: {},
    metadata,
    position: { commit: 10n, prepare: 10n },
  }) as unknown as Parameters<typeof toRecorded>[0];

describe('an EventStoreDB event, read', () => {
  it('is the last of its append when marked so, and the marker is not part of its metadata', () => {
    const read = toRecorded(event({ commandId: 'c1', $camledgerLastInAppend: true }));
    expect(read.lastInAppend).toBe(true);
    expect(read.metadata).toEqual({ commandId: 'c1' });
  });

  it('is inside its append when marked so, whatever its metadata (every event of an append is marked)', () => {
    expect(toRecorded(event({ actor: 'system', $camledgerLastInAppend: false })).lastInAppend).toBe(false);
  });

  it('is inside its append when it is ours and unmarked (written by a release that marked only the last)', () => {
    expect(toRecorded(event({ commandId: 'c1' })).lastInAppend).toBe(false);
  });

  it('is whole when someone else wrote it: no marker, none of our metadata (it is not glued to the next)', () => {
    expect(toRecorded(event({ source: 'another app' })).lastInAppend).toBe(true);
    expect(toRecorded(event(undefined)).lastInAppend).toBe(true);
  });
});
