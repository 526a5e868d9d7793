/** V8 keeps a string in two bytes a character once one of them is beyond Latin-1. */
const beyondLatin1 = /[\u0100-\uffff]/;

/**
 * Roughly how many bytes a folded state holds in memory: strings by length
 * and width, numbers and booleans as a word, containers (objects, arrays,
 * Maps, Sets) with a small overhead per slot. Only good enough to bound a
 * cache by memory rather than by entry count (one item may hold 10,000
 * frames, the next nothing); iterative, so a deep state cannot exhaust the
 * stack.
 */
export function approximateSize(root: unknown): number {
  let bytes = 0;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    switch (typeof value) {
      case 'string':
        bytes += 16 + value.length * (beyondLatin1.test(value) ? 2 : 1);
        break;
      case 'number':
      case 'boolean':
      case 'bigint':
        bytes += 8;
        break;
      case 'object':
        if (value === null) bytes += 8;
        else if (value instanceof Map) {
          bytes += 32 + 16 * value.size;
          for (const [k, v] of value) pending.push(k, v);
        } else if (value instanceof Set) {
          bytes += 32 + 8 * value.size;
          for (const v of value) pending.push(v);
        } else if (Array.isArray(value)) {
          bytes += 16 + 8 * value.length;
          for (const v of value) pending.push(v);
        } else if (value instanceof Date) bytes += 24;
        else
          for (const [k, v] of Object.entries(value)) {
            bytes += 16 + k.length;
            pending.push(v);
          }
        break;
      default:
        bytes += 8;
    }
  }
  return bytes;
}
