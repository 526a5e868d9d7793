// Ids are `<prefix>_<ULID>`: 26 characters of Crockford's base 32, the first
// at most 7 so the 48-bit time part cannot overflow.
// `ock` (OAuth consumer key) and `otk` (OAuth token) name the auth slice's things (DOMAIN.md §6).
export const idPrefixes = [
  'usr',
  'cam',
  'itm',
  'fld',
  'net',
  'inv',
  'thr',
  'pmt',
  'lvs',
  'ock',
  'otk',
] as const;
export type IdPrefix = (typeof idPrefixes)[number];

export type Id<P extends IdPrefix> = `${P}_${string}`;
export type UserId = Id<'usr'>;
export type CameraId = Id<'cam'>;
export type ItemId = Id<'itm'>;
export type FolderId = Id<'fld'>;
export type NetworkId = Id<'net'>;
export type InvitationId = Id<'inv'>;
export type ThreadId = Id<'thr'>;
export type PrivateThreadId = Id<'pmt'>;
export type LiveViewSessionId = Id<'lvs'>;

const ulid = '[0-7][0-9A-HJKMNP-TV-Z]{25}';
const patterns = Object.fromEntries(idPrefixes.map((p) => [p, new RegExp(`^${p}_${ulid}$`)])) as Record<
  IdPrefix,
  RegExp
>;

export function isId<P extends IdPrefix>(prefix: P, value: unknown): value is Id<P> {
  return typeof value === 'string' && patterns[prefix].test(value);
}
