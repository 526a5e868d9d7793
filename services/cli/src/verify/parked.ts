// Follow-ups the workers gave up on (the domain refused them, or they kept
// failing) are parked where an operator sees them (DOMAIN.md §1). verify
// reports a missing follow-up that is parked as a warning with its reason,
// not as a silent gap.
//
// Extension point: the event store does not list parked follow-ups yet. When
// its work-queue port offers `listParked()`, map its entries to this shape
// and pass them to `verify`/`runVerify` as `options.parked` (main.ts, where
// the store is opened); until then the CLI passes none, and every missing
// follow-up is a violation.

/** One parked follow-up, named by the event that asked for it. */
export interface ParkedFollowUp {
  readonly originStream: string;
  readonly originRevision: number;
  /** The follow-up command, e.g. `directory.claim`. */
  readonly command: string;
  /** Why it was parked, as the worker recorded it. */
  readonly reason: string;
}
