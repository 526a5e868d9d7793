import { commands } from '@camledger/domain';
import { describe, expect, it } from 'vitest';
import { contractPage, namedRows } from './contract-docs.ts';

// docs/contract/commands.md is what other services read to know which
// commands exist and which are internal; the domain's registry is what the
// worker serves. Follow-up-only commands are served nowhere, so they are not
// part of the contract.
const documented = namedRows(contractPage('commands.md'));
const served = commands.filter((c) => !c.followUpOnly);

describe('docs/contract/commands.md against the commands the worker serves', () => {
  it('reads the tables (so an empty parse cannot pass silently)', () => {
    expect(documented.length).toBeGreaterThan(30);
  });

  it('names every served command and no other', () => {
    expect(documented.map((row) => row.name).sort()).toEqual(served.map((c) => c.name).sort());
  });

  it('marks exactly the internal ones as internal', () => {
    const internalInDoc = documented.filter((row) => row.internal).map((row) => row.name);
    expect(internalInDoc.sort()).toEqual(
      served
        .filter((c) => c.internal)
        .map((c) => c.name)
        .sort(),
    );
  });
});
