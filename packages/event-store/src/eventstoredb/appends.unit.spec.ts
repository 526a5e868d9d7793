import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../port.ts';
import { AppendGatherer, gatherAppends } from './appends.ts';

// EventStoreDB positions each event of an append apart; the port gives an
// append one position, its last event's. No server runs here: the gathering
// is checked on events as the client would hand them over.

const at = (stream: string, revision: number, position: number, lastInAppend: boolean): RecordedEvent => ({
  id: `${stream}-${revision}`,
  stream,
  revision,
  position,
  type: 'T',
  data: {},
  metadata: {},
  lastInAppend,
});

describe('appends gathered from EventStoreDB events', () => {
  it('gives every event of an append its last event’s position, and single events their own', () => {
    const read = gatherAppends([
      at('a', 0, 100, false),
      at('a', 1, 180, false),
      at('a', 2, 260, true),
      at('b', 0, 340, true),
    ]);
    expect(read.map((e) => [e.stream, e.revision, e.position])).toEqual([
      ['a', 0, 260],
      ['a', 1, 260],
      ['a', 2, 260],
      ['b', 0, 340],
    ]);
  });

  it('holds an append back until its last event, per stream, when another stream’s events come between', () => {
    const gatherer = new AppendGatherer<string>();
    expect(gatherer.add(at('a', 0, 100, false), 'a0')).toBeUndefined();
    expect(gatherer.add(at('b', 4, 50, true), 'b4')?.map((g) => g.with)).toEqual(['b4']);
    expect(gatherer.add(at('a', 1, 180, true), 'a1')?.map((g) => [g.with, g.recorded.position])).toEqual([
      ['a0', 180],
      ['a1', 180],
    ]);
    expect(gatherer.rest()).toEqual([]);
  });

  it('hands over what a read cut short left unended, as it is', () => {
    expect(gatherAppends([at('a', 0, 100, true), at('c', 0, 200, false)]).map((e) => e.position)).toEqual([
      100, 200,
    ]);
  });
});
