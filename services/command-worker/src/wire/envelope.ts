import { z } from 'zod';

// The request body of every command (DOMAIN.md §2). The payload is checked
// later by the command's own schema; here it only has to be an object.
export const envelopeSchema = z.object({
  command_id: z.string().min(1).max(128),
  actor: z.string().min(1).max(128),
  correlation_id: z.string().min(1).max(128).optional(),
  payload: z.record(z.string(), z.unknown()),
});

export type Envelope = z.output<typeof envelopeSchema>;

export type ParsedEnvelope = { ok: true; envelope: Envelope } | { ok: false; param: string; reason: string };

export function parseEnvelope(body: Uint8Array): ParsedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return { ok: false, param: 'body', reason: 'not JSON in UTF-8' };
  }
  const parsed = envelopeSchema.safeParse(json);
  if (parsed.success) return { ok: true, envelope: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    param: issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'body',
    reason: issue?.message ?? 'invalid envelope',
  };
}
