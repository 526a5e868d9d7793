import { commandsByName, commands as registry } from '@camledger/domain';
import { describe, expect, it } from 'vitest';
import { contractPage, namedRows } from './contract-docs.ts';

// docs/contract/commands.md is what other services read to know which
// commands exist and which are internal; the domain's registry is what the
// worker serves. The registry also holds the workers' own follow-up
// commands, which are internal and belong to no contract table, so the check
// runs both ways only for the commands users can send.
const documented = namedRows(contractPage('commands.md'));

describe('docs/contract/commands.md against the domain registry', () => {
  it('reads the tables (so an empty parse cannot pass silently)', () => {
    expect(documented.length).toBeGreaterThan(30);
  });

  it.each(documented.map((row) => [row.name, row] as const))(
    '%s is a command of the domain, internal exactly when the page says so',
    (name, row) => {
      const handler = commandsByName.get(name);
      expect(handler, `${name} is documented but the domain has no such command`).toBeDefined();
      expect(handler?.internal).toBe(row.internal);
    },
  );

  it('documents every command users can send on the cmd subjects', () => {
    const userCommands = registry.filter((c) => !c.internal).map((c) => c.name);
    const names = new Set(documented.map((row) => row.name));
    expect(userCommands.filter((name) => !names.has(name))).toEqual([]);
  });
});
