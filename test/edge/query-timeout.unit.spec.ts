import { queryTimeoutMs, readEdgeConfig } from '@camledger/api-edge';
import { DEFAULT_WAIT_MS, MAX_WAIT_MS } from '@camledger/domain';
import { readDeadlineMs } from '@camledger/read-model';
import { describe, expect, it } from 'vitest';

// The query server answers a query whose reads hang 1500 once wait_ms (with
// min_position) plus its read deadline have passed. The edge must still be
// waiting then, or the client gets the edge's 503 instead of that answer.

describe('how long the edge waits for a query server', () => {
  const config = readEdgeConfig({});
  /** The latest a query server answers: the wait it grants (at most wait_ms, else the default) plus its read deadline. */
  const serverAnswersBy = (waitMs: number | undefined) => (waitMs ?? DEFAULT_WAIT_MS) + readDeadlineMs;

  it('outlasts the query server for every wait_ms, the default and the largest included', () => {
    for (const waitMs of [undefined, 0, 1, DEFAULT_WAIT_MS, 4999, MAX_WAIT_MS])
      expect(queryTimeoutMs(config, waitMs), String(waitMs)).toBeGreaterThan(serverAnswersBy(waitMs));
  });

  it('outlasts it for wait_ms sent as text in a form or query string', () => {
    expect(queryTimeoutMs(config, String(MAX_WAIT_MS))).toBeGreaterThan(serverAnswersBy(MAX_WAIT_MS));
  });
});
