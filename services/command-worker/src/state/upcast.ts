import { type DomainEvent, upcast } from '@camledger/domain';
import type { RecordedEvent } from '@camledger/event-store';

/** A stored event in the shape the domain folds today (older schema versions are lifted on read). */
export const toDomainEvent = (recorded: RecordedEvent): DomainEvent => upcast(recorded);
