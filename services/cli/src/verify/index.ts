import type { EventStore } from '@camledger/event-store';
import { HistoryFold } from '../fold.ts';
import { type ExitCode, exitCodes, type Output } from '../output.ts';
import { checks } from './checks.ts';

export { checks } from './checks.ts';

/** One event that breaks one invariant, with what an auditor needs to follow it up. */
export interface Violation {
  readonly invariant: string;
  readonly position: string;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly commandId: string | null;
  readonly actor: string | null;
  readonly message: string;
}

export interface VerifyOptions {
  readonly json?: boolean;
  readonly trashRetentionMs: number;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Folds all history in global order and runs every check on every event. */
export async function verify(
  store: EventStore,
  options: VerifyOptions,
): Promise<{ events: number; violations: Violation[] }> {
  const fold = new HistoryFold();
  const violations: Violation[] = [];
  let events = 0;
  for await (const recorded of store.readAll()) {
    events++;
    const step = fold.step(recorded);
    const input = {
      recorded,
      event: step.ok ? step.event : undefined,
      before: step.ok ? step.before : undefined,
      after: step.ok ? step.after : undefined,
      previousRevision: step.previousRevision,
      states: fold.states,
      trashRetentionMs: options.trashRetentionMs,
    };
    for (const [invariant, check] of Object.entries(checks)) {
      // The state-based checks need a folded event; `foldable` reports the others.
      if (
        !step.ok &&
        invariant !== 'revisionsContiguous' &&
        invariant !== 'metadataComplete' &&
        invariant !== 'foldable'
      )
        continue;
      const message = check(input);
      if (message !== null)
        violations.push({
          invariant,
          position: recorded.position,
          stream: recorded.stream,
          revision: recorded.revision,
          type: recorded.type,
          commandId: text(recorded.metadata.commandId),
          actor: text(recorded.metadata.actor),
          message,
        });
    }
  }
  return { events, violations };
}

/** `camledger audit verify`: exit 1 with a report naming each violating event. */
export async function runVerify(
  store: EventStore,
  options: VerifyOptions,
  output: Output,
): Promise<ExitCode> {
  const { events, violations } = await verify(store, options);
  if (options.json) output.out(JSON.stringify({ events, ok: violations.length === 0, violations }));
  else {
    output.out(
      `${events} events checked against ${Object.keys(checks).length} invariants: ${violations.length} violation(s)`,
    );
    for (const v of violations)
      output.out(
        `${v.invariant}: ${v.position} ${v.stream}@${v.revision} ${v.type} command ${v.commandId ?? '-'} actor ${v.actor ?? '-'}: ${v.message}`,
      );
  }
  return violations.length === 0 ? exitCodes.ok : exitCodes.failed;
}
