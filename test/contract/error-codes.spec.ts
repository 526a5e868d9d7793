import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failures } from '@camledger/domain';
import { describe, expect, it } from 'vitest';

// The user's own document is the contract for every failure: the catalogue
// must carry each of its codes with its sentence word for word. It lives
// beside the repository (../shared/spec); from this file that is two
// levels up to the repository, then ../shared.
function errorCodesDocument(): string {
  const candidates = [
    resolve(process.cwd(), '../shared/spec/error-codes.md'),
    resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/spec/error-codes.md'),
  ];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`error-codes.md not found; looked at ${candidates.join(', ')}`);
  return readFileSync(found, 'utf8');
}

/** Lines of the form `* <code> <message>`, as the document lists them. */
function parseCodes(document: string): Map<number, string> {
  const codes = new Map<number, string>();
  for (const line of document.split(/\r?\n/)) {
    const entry = /^\*\s+(\d+)\s+(.+?)\s*$/.exec(line);
    if (entry) codes.set(Number(entry[1]), entry[2]!);
  }
  return codes;
}

const documented = parseCodes(errorCodesDocument());
const catalogue = Object.entries(failures).map(([name, { code, message }]) => ({ name, code, message }));
// Project codes are ours, not the user's: they may not appear in the document.
const projectCodes = new Set([7000]);

describe('the failure catalogue against error-codes.md', () => {
  it('reads the document (so an empty parse cannot pass silently)', () => {
    expect(documented.size).toBeGreaterThan(50);
  });

  it.each([...documented])("has code %i with the document's message", (code, message) => {
    const entry = catalogue.find((e) => e.code === code);
    expect(entry, `code ${code} is missing from the catalogue`).toBeDefined();
    expect(entry?.message).toBe(message);
  });

  it('has no code the document lacks, except project codes', () => {
    const extra = catalogue.filter((e) => !documented.has(e.code) && !projectCodes.has(e.code));
    expect(extra).toEqual([]);
  });

  it('uses each code and each name once', () => {
    const codes = catalogue.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    const names = catalogue.map((e) => e.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
  });
});
