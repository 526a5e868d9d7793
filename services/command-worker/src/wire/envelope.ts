import { type Envelope, envelopeSchema } from '@camledger/domain';

export type ParsedEnvelope = { ok: true; envelope: Envelope } | { ok: false; param: string; reason: string };

export function parseEnvelope(body: Uint8Array): ParsedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return { ok: false, param: 'body', reason: 'not JSON in UTF-8' };
  }
  const tooDeep = nestedDeeperThan(json, maxNesting);
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

/** No command's payload nests beyond a few levels; a deeper one is refused before anything walks it recursively. */
const maxNesting = 32;

/**
 * Where `root` nests deeper than `limit`, named as a client knows it: the
 * payload parameter holding the deep value ("name"), else the envelope field.
 * Iterative, so the check cannot run out of stack on what it guards against.
 */
function nestedDeeperThan(root: unknown, limit: number): string | undefined {
  const pending: Array<[unknown, number, string[]]> = [[root, 0, []]];
  while (pending.length > 0) {
    const [value, depth, path] = pending.pop() as [unknown, number, string[]];
    if (value === null || typeof value !== 'object') continue;
    if (depth >= limit) return (path[0] === 'payload' && path[1] !== undefined ? path[1] : path[0]) ?? 'body';
    for (const [key, child] of Object.entries(value))
      pending.push([child, depth + 1, path.length < 2 ? [...path, key] : path]);
  }
  return undefined;
}
