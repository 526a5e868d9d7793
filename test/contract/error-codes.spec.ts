import { failures } from '@camledger/domain';
import { describe, expect, it } from 'vitest';
import { codesInPage, contractCodes, contractPage } from './contract-docs.ts';

// The contract's failure codes are data in the repository
// (docs/contract/error-codes.json): the domain's catalogue must carry each
// code with its sentence word for word, since clients show those sentences.
const contract = contractCodes();
const catalogue = Object.entries(failures).map(([name, { code, message }]) => ({ name, code, message }));
// Project codes are ours, not the contract list's: they may not appear in it.
const projectCodes = new Set([7000]);

describe('the failure catalogue against docs/contract/error-codes.json', () => {
  it('reads the list (so an empty parse cannot pass silently)', () => {
    expect(contract.length).toBeGreaterThan(50);
  });

  it.each(contract.map((e) => [e.code, e.message] as const))(
    'has code %i with the contract message',
    (code, message) => {
      const entry = catalogue.find((e) => e.code === code);
      expect(entry, `code ${code} is missing from the catalogue`).toBeDefined();
      expect(entry?.message).toBe(message);
    },
  );

  it('has no code the contract lacks, except project codes', () => {
    const listed = new Set(contract.map((e) => e.code));
    const extra = catalogue.filter((e) => !listed.has(e.code) && !projectCodes.has(e.code));
    expect(extra).toEqual([]);
  });

  it('uses each code and each name once', () => {
    const codes = catalogue.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    const names = catalogue.map((e) => e.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('docs/contract/error-codes.md', () => {
  const page = codesInPage(contractPage('error-codes.md'));

  it('lists the same codes and sentences as error-codes.json, project codes aside', () => {
    const upstreamOnly = page.filter((e) => !projectCodes.has(e.code));
    expect(upstreamOnly).toEqual(contract);
  });

  it.each([...projectCodes])('shows project code %i with the catalogue sentence', (code) => {
    // Its row has a "used by" column between the code and the sentence.
    const row = new RegExp(`^\\|\\s*${code}\\s*\\|[^|]*\\|\\s*(.+?)\\s*\\|$`, 'm').exec(
      contractPage('error-codes.md'),
    );
    expect(row?.[1]).toBe(catalogue.find((e) => e.code === code)?.message);
  });
});
