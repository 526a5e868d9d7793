/** No command's or query's payload nests beyond a few levels; a deeper one is refused before anything walks it recursively. */
export const maxNesting = 32;

/**
 * Where `root` nests deeper than `limit`, named as a client knows it: the
 * payload parameter holding the deep value, else the top-level field.
 * `payloadAt` is where the payload sits in `root`: under `payload` in a NATS
 * envelope, at the top in an HTTP body. Iterative, so the check cannot run
 * out of stack on what it guards against (JSON.parse takes depths that
 * JSON.stringify, and every recursive walk, cannot).
 */
export function nestedDeeperThan(
  root: unknown,
  limit = maxNesting,
  payloadAt: 'payload' | 'top' = 'top',
): string | undefined {
  const pending: Array<[unknown, number, string[]]> = [[root, 0, []]];
  while (pending.length > 0) {
    const [value, depth, path] = pending.pop() as [unknown, number, string[]];
    if (value === null || typeof value !== 'object') continue;
    if (depth >= limit) {
      const inPayload = payloadAt === 'top' ? path[0] : path[0] === 'payload' ? path[1] : undefined;
      return inPayload ?? path[0] ?? 'body';
    }
    for (const [key, child] of Object.entries(value))
      pending.push([child, depth + 1, path.length < 2 ? [...path, key] : path]);
  }
  return undefined;
}
