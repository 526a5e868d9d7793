import { z } from 'zod';

// The request body of every command (DOMAIN.md §2). The payload is checked
// by the command's own schema; here it only has to be an object.
export const envelopeSchema = z.object({
  command_id: z.string().min(1).max(128),
  // Any string: one that names no registered user is 8, not a malformed
  // envelope (§2), however long it is (see `namesNoUser`).
  actor: z.string().min(1),
  correlation_id: z.string().min(1).max(128).optional(),
  payload: z.record(z.string(), z.unknown()),
});

export type Envelope = z.output<typeof envelopeSchema>;

/** DOMAIN.md §2: a command id is remembered, a retry recognised, for at least 7 days. */
export const commandIdMemoryMs = 7 * 24 * 60 * 60 * 1000;

/**
 * User ids are 30 characters: an actor over 128 names no user whatever the
 * store holds, and is answered 8 without being looked up (or logged whole).
 */
export const namesNoUser = (actor: string): boolean => actor.length > 128;
