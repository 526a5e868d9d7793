// An event as a decider emits it: a past-tense type and its data. The worker
// wraps it with metadata before it is stored (see StoredEvent).
export interface DomainEvent<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
}

// What an auditor needs to answer "who did what, when, through which
// command" from history alone (DOMAIN.md §1).
export interface EventMetadata {
  readonly commandId: string;
  readonly correlationId: string;
  readonly actor: string;
  readonly occurredAt: string;
  readonly schemaVersion: number;
}

export interface StoredEvent<E extends DomainEvent = DomainEvent> {
  readonly stream: string;
  readonly revision: number;
  readonly type: E['type'];
  readonly data: E['data'];
  readonly metadata: EventMetadata;
}
