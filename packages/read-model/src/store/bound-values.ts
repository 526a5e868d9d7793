// PostgreSQL's text and jsonb cannot hold U+0000 (nor can PGlite): one in a
// bound value fails the whole statement. The write side keeps free text as
// sent, so a note or a message body holding one is a valid event; projected
// as it is, it would fail its batch on every try and stop the projector at
// that event for good, and a query naming such an id would answer 1500.
// Every value bound to a statement, by either adapter, therefore has U+0000
// written as U+FFFD, the replacement character, at any depth of a JSON value.

const NUL = '\u0000';

/** `params` with every U+0000 in a string (also inside arrays and plain objects) replaced by U+FFFD. */
export function boundValues(params: readonly unknown[]): unknown[] {
  return params.map(withoutNul);
}

function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes(NUL) ? value.replaceAll(NUL, '\uFFFD') : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), withoutNul(v)]));
  return value;
}
