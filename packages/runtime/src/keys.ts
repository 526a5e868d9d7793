import { hash } from 'node:crypto';
import { generatedId, type IdPrefix, uniqueIdPart } from '@camledger/domain';

// Everything a retry must reproduce is derived from (actor, command_id): the
// reply-log key, the ids of things the command creates and the event ids the
// store uses to recognise a repeated append. A command retried after a crash
// therefore creates the same folder, not a second one.

// One-shot hashing (crypto.hash): several digests per command, and a Hash
// object each was measurably slower for inputs this small.
const sha256 = (...parts: string[]): Buffer => hash('sha256', parts.join('\u0000'), 'buffer');

export const commandKey = (actor: string, commandId: string): string =>
  sha256(actor, commandId).toString('hex');

/** The subject and payload hash of a command, as one token stamped on its append. */
export const commandFingerprint = (asked: { subject: string; payloadHash: string }): string =>
  sha256(asked.subject, asked.payloadHash).toString('hex');

/** A hash of the payload independent of key order, to tell a retry from a reuse of the command id. */
export function payloadHash(payload: unknown): string {
  return hash('sha256', canonicalJson(payload), 'hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The id a command creates: 48 bits of a hash of its key (the first
 * character within 0..7, as a ULID's), then the creator's tag and the mark
 * every generated id carries (`generatedId` in the domain kernel). It is not
 * time-ordered, which nothing relies on.
 */
export function deterministicId(prefix: IdPrefix, key: string, n: number, creator: string): string {
  return generatedId(prefix, uniqueIdPart(sha256(key, prefix, String(n)).readUIntBE(0, 6)), creator);
}

/** A digest of what a command writes to a stream (events in order, with their metadata), under its key. */
export const contentDigest = (key: string, stream: string, events: readonly unknown[]): string =>
  sha256(key, stream, JSON.stringify(events)).toString('hex');

/** A version-4-shaped UUID from a hash, for event ids the store deduplicates on. */
export function deterministicUuid(...parts: string[]): string {
  const b = Buffer.from(sha256(...parts).subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
