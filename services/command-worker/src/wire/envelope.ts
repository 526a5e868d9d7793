import { type Envelope, envelopeSchema, maxNesting, nestedDeeperThan } from '@camledger/domain';

export type ParsedEnvelope = { ok: true; envelope: Envelope } | { ok: false; param: string; reason: string };

export function parseEnvelope(body: Uint8Array): ParsedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return { ok: false, param: 'body', reason: 'not JSON in UTF-8' };
  }
  const tooDeep = nestedDeeperThan(json, maxNesting, 'payload');
  if (tooDeep !== undefined)
    return { ok: false, param: tooDeep, reason: `nested deeper than ${maxNesting} levels` };
  const parsed = envelopeSchema.safeParse(json);
  if (parsed.success) return { ok: true, envelope: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    param: issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'body',
    reason: issue?.message ?? 'invalid envelope',
  };
}
