import { readCheckpointIfInstalled } from '../projector/apply-batch.ts';
import type { ReadStore } from '../store/port.ts';

// How a query server knows what the projections have applied: it reads the
// checkpoint row (committed with the rows it covers, so rows read after it
// are at least that new). While some query waits for a `min_position`, one
// poller re-reads it every `pollMs` for all of them; nobody waiting, nothing
// polls. A projector in the same process may also `notify` at once. Polling
// was chosen over LISTEN/NOTIFY because it works the same on both stores and
// costs one indexed single-row read per interval only while someone waits.

export class AppliedPosition {
  private latest: number | null = null;
  private readonly waiters = new Set<() => void>();
  private polling = false;

  constructor(
    private readonly store: ReadStore,
    private readonly pollMs = 10,
  ) {}

  /** The checkpoint as committed now (null: nothing applied yet, or no tables yet). */
  async read(): Promise<number | null> {
    const checkpoint = await readCheckpointIfInstalled(this.store);
    // No tables yet: the projector has not installed them. Nothing is applied.
    this.latest = checkpoint === 'no tables' ? null : checkpoint;
    return this.latest;
  }

  /** A projector in this process committed `position`. */
  notify(position: number): void {
    if (this.latest === null || position > this.latest) this.latest = position;
    for (const wake of this.waiters) wake();
  }

  /** True as soon as `min` is applied; false when `waitMs` passed first. */
  async waitFor(min: number, waitMs: number): Promise<boolean> {
    // Before anything is applied the position is 0 (docs/decisions.md): 0 is always reached.
    const reached = () => (this.latest ?? 0) >= min;
    // Read, not remembered: a rebuild (in this process or another) moves the
    // checkpoint back to the start, and a remembered one would answer too soon.
    await this.read();
    if (reached()) return true;
    if (waitMs <= 0) return false;
    return new Promise<boolean>((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      const check = () => {
        if (reached()) done(true);
      };
      const timer = setTimeout(() => done(reached()), waitMs);
      this.waiters.add(check);
      this.poll();
    });
  }

  private poll(): void {
    if (this.polling) return;
    this.polling = true;
    const tick = async () => {
      while (this.waiters.size > 0) {
        await new Promise((resolve) => setTimeout(resolve, this.pollMs));
        try {
          await this.read();
        } catch {
          // A failed read is retried on the next tick; the waiter's own timeout bounds the wait.
        }
        for (const wake of [...this.waiters]) wake();
      }
      this.polling = false;
    };
    void tick();
  }
}
