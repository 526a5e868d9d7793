import { type Aggregate, type Loaded, type StateReader, streamName } from '../kernel/aggregate.ts';
import type { DomainEvent } from '../kernel/events.ts';

export type GivenStreams = Readonly<Record<string, readonly DomainEvent[]>>;

/** A StateReader over fixed histories, keyed by stream name (`<category>-<id>`). */
export function memoryReader(streams: GivenStreams): StateReader {
  return {
    async read<S, E extends DomainEvent>(aggregate: Aggregate<S, E>, id: string): Promise<Loaded<S>> {
      const stream = streamName(aggregate.category, id);
      const events = (streams[stream] ?? []) as readonly E[];
      return {
        stream,
        state: events.reduce(aggregate.evolve, aggregate.initial),
        revision: events.length - 1,
      };
    },
  };
}
