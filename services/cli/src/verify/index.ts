import { defaultDomainConfig } from '@camledger/domain';
import type { EventStore, RecordedEvent } from '@camledger/event-store';
import { HistoryFold } from '../fold.ts';
import { type ExitCode, exitCodes, type Output } from '../output.ts';
import { historyChecks } from './across-aggregates.ts';
import { checks } from './checks.ts';
import { FollowUpLedger } from './follow-ups.ts';
import type { ParkedFollowUp } from './parked.ts';

export { checks } from './checks.ts';
export { type ParkedAppend, type ParkedFollowUp, parkedFollowUpsOf } from './parked.ts';

/** One event that breaks one invariant, with what an auditor needs to follow it up. */
export interface Violation {
  readonly invariant: string;
  /** `warning`: a known gap an operator was told of (a parked follow-up); it does not fail verify. */
  readonly severity: 'violation' | 'warning';
  readonly position: RecordedEvent['position'];
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
  /** Follow-ups the workers parked (see parked.ts); a missing one listed here is a warning. */
  readonly parked?: readonly ParkedFollowUp[];
}

/** The name under which a missing or refused follow-up is reported. */
export const followUpsApplied = 'followUpsApplied';

/** How many invariants one run checks: per event, across aggregates, and the follow-ups. */
export const invariantCount = Object.keys(checks).length + Object.keys(historyChecks()).length + 1;

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

// Need a folded event: the others are reported by `foldable` and skipped.
const structural = new Set(['revisionsContiguous', 'metadataComplete', 'foldable']);

function finding(
  invariant: string,
  severity: Violation['severity'],
  recorded: RecordedEvent,
  message: string,
): Violation {
  return {
    invariant,
    severity,
    position: recorded.position,
    stream: recorded.stream,
    revision: recorded.revision,
    type: recorded.type,
    commandId: text(recorded.metadata.commandId),
    actor: text(recorded.metadata.actor),
    message,
  };
}

/**
 * Folds all history in global order and runs every check on every event,
 * then asks whether every follow-up an event asked for was applied.
 */
export async function verify(
  store: EventStore,
  options: VerifyOptions,
): Promise<{ events: number; violations: Violation[] }> {
  const fold = new HistoryFold();
  const revisions = new Map<string, number>();
  const across = Object.entries(historyChecks());
  const followUps = new FollowUpLedger();
  const violations: Violation[] = [];
  let events = 0;
  for await (const recorded of store.readAll()) {
    events++;
    const step = fold.step(recorded);
    revisions.set(recorded.stream, recorded.revision);
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
      if (!step.ok && !structural.has(invariant)) continue;
      const message = check(input);
      if (message !== null) violations.push(finding(invariant, 'violation', recorded, message));
    }
    if (!step.ok) continue;
    for (const [invariant, check] of across) {
      const message = check.step(input);
      if (message !== null) violations.push(finding(invariant, 'violation', recorded, message));
    }
    followUps.note(recorded, step.event);
  }
  const config = { ...defaultDomainConfig, trashRetentionMs: options.trashRetentionMs };
  for (const f of await followUps.findings({ states: fold.states, revisions }, config, options.parked ?? []))
    violations.push(finding(followUpsApplied, f.severity, f.origin, f.message));
  return { events, violations };
}

/** `camledger audit verify`: exit 1 with a report naming each violating event. */
export async function runVerify(
  store: EventStore,
  options: VerifyOptions,
  output: Output,
): Promise<ExitCode> {
  const { events, violations: found } = await verify(store, options);
  const violations = found.filter((v) => v.severity === 'violation');
  const warnings = found.filter((v) => v.severity === 'warning');
  if (options.json) output.out(JSON.stringify({ events, ok: violations.length === 0, violations, warnings }));
  else {
    output.out(
      `${events} events checked against ${invariantCount} invariants: ${violations.length} violation(s)${
        warnings.length > 0 ? `, ${warnings.length} warning(s)` : ''
      }`,
    );
    for (const v of found)
      output.out(
        `${v.severity === 'warning' ? 'warning ' : ''}${v.invariant}: ${v.position} ${v.stream}@${v.revision} ${v.type} command ${v.commandId ?? '-'} actor ${v.actor ?? '-'}: ${v.message}`,
      );
  }
  return violations.length === 0 ? exitCodes.ok : exitCodes.failed;
}
