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

  /**
   * Whether a hot stream is read before deciding. True by default: another
   * worker's appends are then unknown here until read. False while this
   * process follows the log (its cache learns them as they land), so a
   * conflict, a race with one append in flight, costs its retry's read and
   * not a read for every command of the next two seconds. Hot streams still
   * take turns inside the process either way.
   */
  readBeforeDeciding = true;

  /** Whether a command on `stream` should read it before deciding. */
  needsRead(stream: string): boolean {
    return this.readBeforeDeciding && this.isHot(stream);
  }

  isHot(stream: string): boolean {
    const until = this.until.get(stream);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.until.delete(stream);
    return false;
  }
}
