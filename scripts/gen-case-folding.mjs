// Generates packages/domain/src/folder/case-folding.data.ts: Unicode full case
// folding (CaseFolding.txt statuses C and F; not S, not the Turkic T) as data,
// so sibling-name keys never depend on the ICU inside whichever Node runs the
// worker: a key that changed with a Node upgrade could make two existing
// siblings clash.
//
//   node scripts/gen-case-folding.mjs                  derive from this Node's ICU
//   node scripts/gen-case-folding.mjs CaseFolding.txt  read the Unicode data file
//
// With a CaseFolding.txt it parses the C and F lines (the authoritative source).
// Without one (this workplace reaches no Unicode site) it derives the folding as
// lower(upper(c)), one code point at a time, which the Unicode standard gives as
// the rule case folding mostly follows, and corrects the known exceptions:
//   - U+0131 dotless i: upper is I, lower of that is i, but only the Turkic (T)
//     status folds it; C+F leave it alone;
//   - U+1E9E capital sharp s: lower is ß, whose own fold is "ss"; applying the
//     rule until nothing changes gives "ss" (status F);
//   - Cherokee: CaseFolding folds the later-added lowercase letters (U+AB70..,
//     U+13F8..) to the uppercase ones (U+13A0..), for stability; the rule would
//     go the other way;
//   - final sigma: folded one code point at a time, ς and σ both give σ, never
//     the context-sensitive final form toLowerCase picks inside a word.
// The derivation is then checked against what the runtime knows independently,
// and the script fails rather than write a table that disagrees:
//   - the Changes_When_Casefolded property (\p{CWCF}, from full case folding):
//     it must hold exactly for the code points whose NFD the table changes;
//   - simple case folding (what a /iu regular expression matches): every
//     one-code-point mapping (status C) must be a case variant of its source;
//   - the table is idempotent: folding a folded string changes nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const out = fileURLToPath(new URL('../packages/domain/src/folder/case-folding.data.ts', import.meta.url));
const source = process.argv[2];

const isSurrogate = (cp) => cp >= 0xd800 && cp <= 0xdfff;
const isCherokeeLower = (cp) => (cp >= 0xab70 && cp <= 0xabbf) || (cp >= 0x13f8 && cp <= 0x13fd);
const cps = (s) => [...s].map((c) => c.codePointAt(0));

function fromFile(path) {
  const table = new Map();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [code, status, mapping] = line
      .split('#')[0]
      .split(';')
      .map((f) => f.trim());
    if (status !== 'C' && status !== 'F') continue;
    table.set(
      Number.parseInt(code, 16),
      mapping.split(' ').map((h) => Number.parseInt(h, 16)),
    );
  }
  return table;
}

function derived() {
  const step = (s) => [...s].map((c) => (c === '\u0131' ? c : c.toUpperCase().toLowerCase())).join('');
  const table = new Map();
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (isSurrogate(cp)) continue;
    let s = String.fromCodePoint(cp);
    for (let next = step(s); next !== s; next = step(next)) s = next;
    const target = cps(s).map((t) =>
      isCherokeeLower(t) ? cps(String.fromCodePoint(t).toUpperCase())[0] : t,
    );
    if (target.length !== 1 || target[0] !== cp) table.set(cp, target);
  }
  return table;
}

const table = source ? fromFile(source) : derived();
const foldString = (s) =>
  cps(s)
    .map((cp) => String.fromCodePoint(...(table.get(cp) ?? [cp])))
    .join('');

const problems = [];
const cwcf = /\p{Changes_When_Casefolded}/u;
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (isSurrogate(cp)) continue;
  const c = String.fromCodePoint(cp);
  const nfd = c.normalize('NFD');
  if (cwcf.test(c) !== (foldString(nfd) !== nfd)) problems.push(`CWCF disagrees at U+${cp.toString(16)}`);
}
for (const [cp, target] of table) {
  const c = String.fromCodePoint(cp);
  const t = String.fromCodePoint(...target);
  if (target.length === 1 && !new RegExp(`^${t.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')}$`, 'iu').test(c))
    problems.push(`U+${cp.toString(16)} -> ${t} is not a simple case variant`);
  if (foldString(t) !== t) problems.push(`U+${cp.toString(16)} -> ${t} is not itself folded`);
}
if (problems.length > 0) {
  console.error(problems.slice(0, 40).join('\n'));
  console.error(`${problems.length} problems: table not written`);
  process.exit(1);
}

// One-code-point mappings are written as runs: `count` code points from
// `start`, every `stride`, each mapped to itself plus `delta` (A..Z -> a..z is
// one run, Ā ā Ă ă … another). Multi-code-point mappings (status F) are listed.
const singles = [...table].filter(([, t]) => t.length === 1).sort((a, b) => a[0] - b[0]);
const runs = [];
for (const [cp, [t]] of singles) {
  const last = runs.at(-1);
  const delta = t - cp;
  if (last && last[3] === delta) {
    const end = last[0] + (last[1] - 1) * last[2];
    if (last[1] === 1 && cp - end <= 2) {
      last[2] = cp - end;
      last[1] = 2;
      continue;
    }
    if (cp - end === last[2]) {
      last[1]++;
      continue;
    }
  }
  runs.push([cp, 1, 1, delta]);
}
const multis = [...table].filter(([, t]) => t.length > 1).sort((a, b) => a[0] - b[0]);
const hex = (n) => `0x${n.toString(16)}`;

writeFileSync(
  out,
  `// Generated by scripts/gen-case-folding.mjs (${
    source
      ? 'from CaseFolding.txt'
      : `derived from ICU ${process.versions.icu}, Unicode ${process.versions.unicode}`
  }). Do not edit.
// Unicode full case folding, statuses C and F: ${singles.length} one-code-point
// and ${multis.length} multi-code-point mappings.

/** [start, count, stride, delta]: start, start+stride, … (count of them) each fold to itself + delta. */
export const singleRuns: readonly (readonly [number, number, number, number])[] = [
${runs.map((r) => `  [${hex(r[0])}, ${r[1]}, ${r[2]}, ${r[3]}],`).join('\n')}
];

/** Code point -> the code points it folds to (status F). */
export const multiFoldings: readonly (readonly [number, readonly number[]])[] = [
${multis.map(([cp, t]) => `  [${hex(cp)}, [${t.map(hex).join(', ')}]],`).join('\n')}
];
`,
);
console.log(`wrote ${out}: ${singles.length} C mappings in ${runs.length} runs, ${multis.length} F mappings`);
