import type { Decision } from '@camledger/domain';
import { runOn, type Streams } from './run-on.ts';

// Property tests of the social slices play commands one after another over
// shared histories: each goes the whole way the worker takes it (through
// the runtime), follow-ups included, and what it appends joins `streams`.

export type { Streams } from './run-on.ts';

export async function play(
  streams: Streams,
  command: string,
  payload: unknown,
  actor: string,
  step: number,
): Promise<Decision> {
  const { decision, refusedFollowUps } = await runOn(streams, command, payload, {
    actor,
    commandId: `cmd-${step}`,
    firstNewId: 1000 + step * 10,
  });
  if (refusedFollowUps.length > 0)
    throw new Error(`${command}: follow-up refused: ${JSON.stringify(refusedFollowUps)}`);
  return decision;
}
