import { z } from 'zod';

// The request body of every command (DOMAIN.md §2). The payload is checked
// by the command's own schema; here it only has to be an object.
export const envelopeSchema = z.object({
  command_id: z.string().min(1).max(128),
  actor: z.string().min(1).max(128),
  correlation_id: z.string().min(1).max(128).optional(),
  payload: z.record(z.string(), z.unknown()),
});

export type Envelope = z.output<typeof envelopeSchema>;
