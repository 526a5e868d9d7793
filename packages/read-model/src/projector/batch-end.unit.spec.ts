import type { RecordedEvent } from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { batchEnd } from './projector.ts';

// A position names a whole append, so a batch (and its checkpoint) must end
// on the last event of an append, or a resume would skip the rest of it.

const event = (position: number, lastInAppend: boolean): RecordedEvent => ({
  id: `${position}-${String(lastInAppend)}`,
  stream: 's',
  revision: 0,
  position,
  type: 'T',
  data: {},
  metadata: {},
  lastInAppend,
});

describe('where a batch ends', () => {
  it('takes up to the batch size when it ends an append', () => {
    const buffer = [event(1, true), event(2, true), event(3, true)];
    expect(batchEnd(buffer, 2)).toBe(2);
  });

  it('runs on to the end of an append the batch size cuts', () => {
    const buffer = [event(1, true), event(2, false), event(2, false), event(2, true), event(3, true)];
    expect(batchEnd(buffer, 2)).toBe(4);
  });

  it('stops before an append whose last event has not arrived, and waits when nothing is complete', () => {
    expect(batchEnd([event(1, true), event(2, false)], 5)).toBe(1);
    expect(batchEnd([event(2, false), event(2, false)], 5)).toBe(0);
  });
});
