// Follow-ups the workers gave up on (the domain refused them, or they kept
// failing) are parked where an operator sees them (DOMAIN.md §1). verify
// reports a missing follow-up that is parked as a warning with its reason,
// not as a silent gap.
//
// Extension point: the event store's work queues list what they parked
// (`WorkQueue.listParked()`, entries `{ position, events, reason, … }`), but
// opening a queue creates its durable consumer and updates its settings, which
// an audit must not do, and the worker does not use the queue yet. Once the
// store offers a read-only listing of a prefix's parked follow-ups, main.ts
// maps it through `parkedFollowUpsOf` and passes the result to `runVerify` as
// `options.parked`. Until then the CLI passes none, and every missing
// follow-up is a violation.

/** One parked follow-up, named by the event that asked for it. */
export interface ParkedFollowUp {
  readonly originStream: string;
  readonly originRevision: number;
  /** The follow-up command, e.g. `directory.claim`; absent: every follow-up that event asked for. */
  readonly command?: string;
  /** Why it was parked, as the worker recorded it. */
  readonly reason: string;
}

/** What a parked item of the work queue holds that verify needs: the events of the append, and why. */
export interface ParkedAppend {
  readonly events: readonly { readonly stream: string; readonly revision: number }[];
  readonly reason: string;
}

/** A parked append parks the follow-ups of each of its events. */
export const parkedFollowUpsOf = (parked: readonly ParkedAppend[]): ParkedFollowUp[] =>
  parked.flatMap(({ events, reason }) =>
    events.map((e) => ({ originStream: e.stream, originRevision: e.revision, reason })),
  );
