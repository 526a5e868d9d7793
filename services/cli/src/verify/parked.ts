// Follow-ups the workers gave up on (the domain refused them, or they kept
// failing) are parked where an operator sees them (DOMAIN.md §1). verify
// reports a missing follow-up that is parked as a warning with its reason,
// not as a silent gap.
//
// Where they come from: the workers' follow-up queue parks an append whose
// follow-ups the domain refused or that kept failing; `camledger audit
// verify` lists the queue's parked items read-only (`listParkedFollowUps`
// of @camledger/command-worker, over the event store's `listParkedWork`,
// which makes or changes no consumer), maps them through
// `parkedFollowUpsOf` and passes them to `runVerify` as `options.parked`.

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
