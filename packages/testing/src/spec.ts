import {
  type AnyCommandHandler,
  type Decision,
  type DomainEvent,
  type FailureName,
  failures,
  type SuccessName,
  successes,
} from '@camledger/domain';
import type { TestContextOptions } from '@camledger/domain/testing';
import { expect } from 'vitest';
import { type RunResult, runOn, type Streams } from './run-on.ts';

export type GivenStreams = Readonly<Streams>;

/**
 * given(histories).when(command, payload, context).then…: a specification
 * that reads like the rule it checks. The command goes the whole way a
 * worker takes it — the runtime's payload validation, load, decide, append
 * and follow-ups over a memory store holding the given histories — so a
 * specification shows the code a client would get and what is stored.
 */
export function specFor(handlers: readonly AnyCommandHandler[]) {
  const byName = new Map(handlers.map((h) => [h.name, h]));

  async function run(given: GivenStreams, command: string, payload: unknown, options: TestContextOptions) {
    const handler = byName.get(command as AnyCommandHandler['name']);
    if (!handler) throw new Error(`no handler for ${command}`);
    return await runOn({ ...given }, handler, payload, options);
  }

  return function given(streams: GivenStreams = {}) {
    return {
      when(command: string, payload: unknown, options: TestContextOptions = {}) {
        const ran: Promise<RunResult> = run(streams, command, payload, options);
        const decision: Promise<Decision> = ran.then((r) => r.decision);
        return {
          decision,
          /** The events the command and its follow-ups stored, by stream, in log order. */
          stored: async () => (await ran).appended,
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
            // What was decided is what the store holds for the stream written.
            const own = (await ran).appended.filter((a) => a.stream === d.write?.stream).map((a) => a.event);
            expect(own.slice(0, d.write?.events.length ?? 0)).toEqual(d.write?.events ?? []);
            if (expected.stream !== undefined) expect(d.write?.stream).toBe(expected.stream);
            if (expected.result !== undefined) expect(d.result).toEqual(expected.result);
            return d;
          },
        };
      },
    };
  };
}
