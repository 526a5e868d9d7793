import { expect } from 'vitest';
import type { FailureName, SuccessName } from '../codes/index.ts';
import { failures, successes } from '../codes/index.ts';
import type { AnyCommandHandler } from '../kernel/command.ts';
import type { Decision } from '../kernel/decision.ts';
import type { DomainEvent } from '../kernel/events.ts';
import { toRejection } from '../validation/to-rejection.ts';
import { type TestContextOptions, testContext } from './context.ts';
import { type GivenStreams, memoryReader } from './memory-reader.ts';

/**
 * given(histories).when(command, payload, context).then…: a specification
 * that reads like the rule it checks. The command goes the whole way a
 * worker takes it — payload validation, load through a reader over the given
 * histories, decide — so a specification shows the code a client would get.
 */
export function specFor(handlers: readonly AnyCommandHandler[]) {
  const byName = new Map(handlers.map((h) => [h.name, h]));

  async function run(
    given: GivenStreams,
    command: string,
    payload: unknown,
    options: TestContextOptions,
  ): Promise<Decision> {
    const handler = byName.get(command as AnyCommandHandler['name']);
    if (!handler) throw new Error(`no handler for ${command}`);
    const parsed = handler.payload.safeParse(payload);
    if (!parsed.success) return toRejection(parsed.error);
    const ctx = testContext(options);
    const loaded = await handler.load(parsed.data, ctx, memoryReader(given));
    return handler.decide(parsed.data, loaded, ctx);
  }

  return function given(streams: GivenStreams = {}) {
    return {
      when(command: string, payload: unknown, options: TestContextOptions = {}) {
        const decision = run(streams, command, payload, options);
        return {
          decision,
          /** The command is rejected with this catalogue entry; `details` must be contained in the rejection's. */
          async thenRejects(failure: FailureName, details?: Record<string, unknown>) {
            const d = await decision;
            expect(d, `expected ${failure}`).toMatchObject({
              ok: false,
              code: failures[failure].code,
              name: failure,
            });
            if (details) expect(d.ok ? {} : d.details).toMatchObject(details);
            return d;
          },
          /** The command is accepted with this code and appends exactly `events` (none when omitted). */
          async thenAccepts(
            success: SuccessName,
            expected: {
              events?: readonly DomainEvent[];
              stream?: string;
              result?: Record<string, string>;
            } = {},
          ) {
            const d = await decision;
            expect(d, `expected ${success}`).toMatchObject({ ok: true, code: successes[success].code });
            if (!d.ok) throw new Error('unreachable');
            expect(d.write?.events ?? []).toEqual(expected.events ?? []);
            if (expected.stream !== undefined) expect(d.write?.stream).toBe(expected.stream);
            if (expected.result !== undefined) expect(d.result).toEqual(expected.result);
            return d;
          },
        };
      },
    };
  };
}
