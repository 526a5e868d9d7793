// CAMLEDGER_ROLES (DOMAIN.md §5): the parts one process runs. Any non-empty
// subset of the four, comma-separated; unset or empty means all of them.

export const allRoles = ['commands', 'projector', 'queries', 'edge'] as const;
export type Role = (typeof allRoles)[number];

export class RolesError extends Error {
  readonly variable = 'CAMLEDGER_ROLES';
  constructor(reason: string) {
    super(`CAMLEDGER_ROLES: ${reason}`);
  }
}

export function readRoles(env: Readonly<Record<string, string | undefined>>): ReadonlySet<Role> {
  const text = env.CAMLEDGER_ROLES?.trim();
  if (!text) return new Set(allRoles);
  const names = text.split(',').map((r) => r.trim());
  const unknown = names.filter((r) => !(allRoles as readonly string[]).includes(r));
  if (unknown.length > 0 || names.length === 0)
    throw new RolesError(
      `unknown role ${unknown.map((r) => `"${r}"`).join(', ')}; expected a comma-separated subset of ${allRoles.join(',')}`,
    );
  return new Set(names as Role[]);
}
