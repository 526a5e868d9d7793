import type { Service } from 'nats';

/**
 * What `$SRV.STATS` should say about one endpoint that nats.js 2.29 cannot
 * learn by itself. Its counters only see the handler's synchronous part:
 * `respondError` sets headers but counts nothing, and the processing time
 * stops when an async handler returns its promise. We answer after awaiting
 * the store, so without this STATS would show zero errors and ~0 ms.
 */
export interface EndpointStats {
  /** A 1500: counted in `num_errors`, the message kept in `last_error`. */
  error(error: unknown): void;
  /** The full time from receipt to reply, added to `processing_time`. */
  took(ms: number): void;
}

/** Time figures as the services API reports them: nanoseconds, and the average over the requests counted. */
export interface TimeFigures {
  readonly num_requests: number;
  processing_time: number;
  average_processing_time: number;
}

/** Adds one request's time, from receipt to reply, to `figures`. */
export function addProcessingTime(figures: TimeFigures, ms: number): void {
  figures.processing_time += Math.round(ms * 1_000_000);
  if (figures.num_requests > 0)
    figures.average_processing_time = Math.round(figures.processing_time / figures.num_requests);
}

interface InternalCounters extends TimeFigures {
  countError(error: Error): void;
}

/**
 * Reaches the endpoint's counters inside nats.js (`ServiceImpl.handlers`).
 * Not public API: undefined when a nats.js upgrade changed the shape, which
 * the caller logs, and test/e2e/worker-services-api.e2e.spec.ts catches.
 */
export function endpointStats(service: Service, endpointName: string): EndpointStats | undefined {
  const handlers = (service as unknown as { handlers?: Array<{ name?: string; stats?: InternalCounters }> })
    .handlers;
  const counters = handlers?.find((h) => h.name === endpointName)?.stats;
  if (!counters || typeof counters.countError !== 'function' || typeof counters.processing_time !== 'number')
    return undefined;
  return {
    error(error) {
      counters.countError(error instanceof Error ? error : new Error(String(error)));
    },
    took(ms) {
      addProcessingTime(counters, ms);
    },
  };
}
