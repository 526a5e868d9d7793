/**
 * What `<prefix>.projector.status` answers in `result`: the projector
 * service builds it, `camledger projections status` reads it. Lag is counted
 * in log positions (appends) and in seconds (the age of the oldest event not
 * applied yet).
 */
export interface ProjectorStatus {
  readonly store: 'postgres' | 'pglite';
  readonly projection_version: string;
  readonly applied_position: number;
  readonly head_position: number;
  readonly lag_events: number;
  readonly lag_seconds: number;
  readonly applied_at: string | null;
  /** While a rebuild runs: the position the shadow copy reached and the head it builds up to. */
  readonly rebuild: { readonly position: number; readonly goal: number } | null;
}
