import { randomBytes } from 'node:crypto';

// Client-chosen ids in the contract's form (DOMAIN.md §1): a type prefix, an
// underscore and 26 characters of Crockford's base 32, the first 0..7.

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A fresh random id such as `fld_01J…`, for a thing a test creates with an id of its choosing. */
export function randomId(prefix: string): string {
  const bytes = randomBytes(26);
  let ulid = crockford[(bytes[0] as number) % 8] as string;
  for (let i = 1; i < 26; i++) ulid += crockford[(bytes[i] as number) % 32];
  return `${prefix}_${ulid}`;
}
