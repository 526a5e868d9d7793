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

export const ulidPattern = '[0-7][0-9A-HJKMNP-TV-Z]{25}';
const patterns = Object.fromEntries(
  idPrefixes.map((p) => [p, new RegExp(`^${p}_${ulidPattern}$`)]),
) as Record<IdPrefix, RegExp>;

export function isId<P extends IdPrefix>(prefix: P, value: unknown): value is Id<P> {
  return typeof value === 'string' && patterns[prefix].test(value);
}

// Generated ids carry a mark and their creator's tag (issue 14). An id a
// command creates without the client naming it (`ctx.newId`) is
// `<prefix>_<unique><tag><mark>`: 10 characters (48 bits) unique to the
// command, 8 (40 bits) that hash the creating actor, and 8 (40 bits)
// computed from the 18 before them. The mark tells any id apart as generated
// or chosen by a client; the tag says where to look for a generated
// folder's owner (docs/architecture.md, "Claims"). Neither is a secret nor
// needs strength: forging a mark only earns the forger a 128. A random
// client-chosen id carries a mark by chance once in 2^40.

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const UNIQUE_LENGTH = 10;
const TAG_LENGTH = 8;
const MARK_LENGTH = 8;

/** murmur3's finaliser: spreads every input bit over the 32 output bits. */
function mix32(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** 40 bits of an FNV-1a pair over `text` (seeded apart per use), in 8 Crockford characters. */
function hash40(text: string, seed: number): string {
  let a = 0x811c9dc5 ^ seed;
  let b = 0x050c5d1f ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  const high = mix32(a);
  const low = mix32(b ^ high);
  // 20 bits from each half: 4 characters of 5 bits.
  let out = '';
  for (const half of [high, low])
    for (let shift = 15; shift >= 0; shift -= 5) out += crockford[(half >>> shift) & 31];
  return out;
}

const MARK_SEED = 0;
const TAG_SEED = 0x5f3759df;

/** The tag of an actor, as the ids they generate carry it. */
export const creatorTag = (actor: string): string => hash40(actor, TAG_SEED);

/**
 * The unique part of a generated id from 48 bits (a hash the runtime
 * derives from the command key): 10 Crockford characters, the first within
 * 0..7 as a ULID's. 48 bits are exact in a double: 3 for the first
 * character, 45 for nine more.
 */
export function uniqueIdPart(bits: number): string {
  let unique = crockford[Math.floor(bits / 2 ** 45) & 7] ?? '0';
  for (let shift = 40; shift >= 0; shift -= 5) unique += crockford[Math.floor(bits / 2 ** shift) % 32];
  return unique;
}

/**
 * The generated id `<prefix>_<unique><tag><mark>`. `unique` is 10 Crockford
 * characters, the first within 0..7 (the ids' ULID form), and must be unique
 * to the command (the runtime derives it from the command key); `creator`
 * is the actor whose command generates the id.
 */
export function generatedId<P extends IdPrefix>(prefix: P, unique: string, creator: string): Id<P> {
  const head = `${prefix}_${unique}${creatorTag(creator)}`;
  if (unique.length !== UNIQUE_LENGTH || !isId(prefix, `${head}${'0'.repeat(MARK_LENGTH)}`))
    throw new Error(`not the unique part of a generated ${prefix} id: ${unique}`);
  return `${head}${hash40(head, MARK_SEED)}` as Id<P>;
}

/** Whether `id` is well formed and carries the mark of a generated id. */
export function isGeneratedId(id: string): boolean {
  const prefix = id.slice(0, id.indexOf('_'));
  if (!(idPrefixes as readonly string[]).includes(prefix) || !isId(prefix as IdPrefix, id)) return false;
  const cut = id.length - MARK_LENGTH;
  return id.slice(cut) === hash40(id.slice(0, cut), MARK_SEED);
}

/** The creator's tag a generated id carries; null for any other id. */
export function creatorTagOf(id: string): string | null {
  if (!isGeneratedId(id)) return null;
  const end = id.length - MARK_LENGTH;
  return id.slice(end - TAG_LENGTH, end);
}
