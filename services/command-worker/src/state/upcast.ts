import type { DomainEvent } from '@camledger/domain';
import type { RecordedEvent } from '@camledger/event-store';

/** A stored event as the domain folds it. */
export const toDomainEvent = (recorded: RecordedEvent): DomainEvent => ({
  type: recorded.type,
  data: recorded.data,
});
