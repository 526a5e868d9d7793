/**
 * Streams that saw a version conflict in the last `windowMs`. Bounded: the
 * oldest marks go first when it is full, which at worst lets a burst collide
 * again before it is marked anew.
 */
export class HotStreams {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly windowMs = 2_000,
    private readonly capacity = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  mark(stream: string): void {
    this.until.delete(stream);
    this.until.set(stream, this.now() + this.windowMs);
    if (this.until.size > this.capacity) this.until.delete(this.until.keys().next().value as string);
  }

  isHot(stream: string): boolean {
    const until = this.until.get(stream);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.until.delete(stream);
    return false;
  }
}
