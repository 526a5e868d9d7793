/**
 * Positions of appends whose follow-ups this process ran inline to the end
 * (each applied or found applied, none refused), so that when the durable
 * queue hands this worker the same append it can be acked without loading
 * and deciding every follow-up a second time. Per process and bounded (the
 * oldest go first): an append handed to another worker, or after a restart,
 * is simply run again, which is idempotent.
 */
export class FollowedUp {
  private readonly positions = new Set<number>();

  constructor(private readonly capacity = 10_000) {}

  add(position: number): void {
    this.positions.delete(position);
    this.positions.add(position);
    if (this.positions.size > this.capacity) {
      const oldest = this.positions.values().next().value;
      if (oldest !== undefined) this.positions.delete(oldest);
    }
  }

  /** True once: the queue's delivery of this append takes the mark away. */
  take(position: number): boolean {
    return this.positions.delete(position);
  }
}
