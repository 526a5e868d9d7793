// Benches write up to a million messages and whole PostgreSQL schemas on the
// shared servers. What a bench registers here is undone when the run is
// interrupted (SIGINT, SIGTERM) as well as when it ends: newest first, each
// step's failure reported and passed over, then the process exits 130.

type Step = () => unknown;

const steps: Step[] = [];
let listening = false;

/** Runs every step still registered, newest first: on an interrupt, or as a bench's way out. */
export async function undoAll(): Promise<void> {
  for (const step of steps.splice(0).reverse())
    await Promise.resolve()
      .then(step)
      .catch((error: unknown) => console.error(error));
}

/**
 * Registers `step` to run if the bench is interrupted. Returns the way to
 * run it now instead (on the normal way out), so it runs once either way.
 */
export function undoOnInterrupt(step: Step): () => Promise<void> {
  steps.push(step);
  if (!listening) {
    listening = true;
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => void undoAll().finally(() => process.exit(130)));
  }
  return async () => {
    const at = steps.indexOf(step);
    if (at < 0) return;
    steps.splice(at, 1);
    await step();
  };
}
