import { multiFoldings, singleRuns } from './case-folding.data.ts';

// Unicode full case folding (CaseFolding.txt, statuses C and F) from a table
// generated once (scripts/gen-case-folding.mjs), not from toLowerCase: folding
// is what makes "Straße" and "STRASSE", or "ΟΔΟΣ" and "οδος", one name, and a
// table keeps keys the same whichever Node (and ICU) runs the worker.

const foldings = new Map<number, string>();
for (const [start, count, stride, delta] of singleRuns)
  for (let i = 0; i < count; i++)
    foldings.set(start + i * stride, String.fromCodePoint(start + i * stride + delta));
for (const [cp, target] of multiFoldings) foldings.set(cp, String.fromCodePoint(...target));

/** toCasefold(s): every code point replaced by its full case folding. */
export function caseFold(s: string): string {
  let out = '';
  for (const ch of s) out += foldings.get(ch.codePointAt(0) as number) ?? ch;
  return out;
}

/**
 * The key under which two strings are a canonical caseless match (Unicode
 * D145): NFD(toCasefold(NFD(s))). The inner NFD puts combining marks in
 * canonical order before folding (U+0345 folds to ι, so its place matters);
 * the outer one is the definition's guard against folding leaving a string
 * unnormalised. With the Unicode 17 table no NFD character folds to a non-NFD
 * string, so today it changes nothing; it stays so a regenerated table cannot
 * silently break the match. (U+01F0 ǰ and J + U+030C meet because ǰ folds to
 * j + U+030C, the NFD of its twin.)
 */
export function caselessKey(s: string): string {
  return caseFold(s.normalize('NFD')).normalize('NFD');
}

/**
 * The key lists sort names by (DOMAIN.md §4): the trimmed, NFC, case-folded
 * name, compared in code-point order. Not `caselessKey`: that one decomposes
 * (NFD), which is right for telling two names the same but would sort "É"
 * as "E" plus an accent, beside "E", where the contract puts it after "Z".
 */
export function listOrderKey(name: string): string {
  return caseFold(name.trim().normalize('NFC'));
}
