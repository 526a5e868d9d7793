import type { MsgHdrs } from 'nats';

/** The W3C Trace Context header a client sends beside a command (https://www.w3.org/TR/trace-context/). */
export const traceparentHeader = 'traceparent';

// version "00": 2 hex version, 32 hex trace id, 16 hex parent id, 2 hex flags.
// A later version may append fields; the spec asks readers to take the first four.
const shape = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * The `traceparent` of a request, when it is one: a malformed value is
 * dropped rather than copied into logs and events, as the spec asks of a
 * receiver (start a new trace instead of continuing a broken one).
 */
export function traceparentOf(headers: MsgHdrs | undefined): string | undefined {
  const value = headers?.get(traceparentHeader).trim().toLowerCase();
  if (!value) return undefined;
  const m = shape.exec(value);
  if (!m) return undefined;
  const [, version, traceId, parentId, flags, rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId ?? '') || /^0+$/.test(parentId ?? '')) return undefined;
  // What a later version appends is not ours to read, and would otherwise be
  // copied whole (any length a NATS header allows) into every event and log
  // line of the command: the four fields every version shares are kept.
  return `${version}-${traceId}-${parentId}-${flags}`;
}

/** The trace id inside a valid traceparent: what log search tools index. */
export const traceIdOf = (traceparent: string): string => traceparent.slice(3, 35);
