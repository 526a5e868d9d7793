/**
 * Log positions (or other ids of appends) marked to be recognised once,
 * bounded: past `capacity` the oldest marks go first. For "this process
 * already handled that append" (the worker's inline follow-ups, a store's
 * own appends handed back to its follower): a mark forgotten only costs
 * doing the work again.
 */
export class PositionMarks<K = number> {
  private readonly positions = new Set<K>();

  constructor(private readonly capacity = 10_000) {}

  add(position: K): void {
    this.positions.delete(position);
    this.positions.add(position);
    if (this.positions.size > this.capacity) {
      const oldest = this.positions.values().next().value;
      if (oldest !== undefined) this.positions.delete(oldest);
    }
  }

  /** True once: taking a mark removes it. */
  take(position: K): boolean {
    return this.positions.delete(position);
  }
}
