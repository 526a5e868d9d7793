import { PositionMarks } from '@camledger/event-store';

/**
 * Positions of appends whose follow-ups this process ran inline to the end
 * (each applied or found applied, none refused), so that when the durable
 * queue hands this worker the same append it can be acked without loading
 * and deciding every follow-up a second time. Per process and bounded (the
 * oldest go first): an append handed to another worker, or after a restart,
 * is simply run again, which is idempotent.
 */
export class FollowedUp extends PositionMarks {}
