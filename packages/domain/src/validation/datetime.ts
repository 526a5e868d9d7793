// One reader of the date-times clients send (DOMAIN.md §2): either the public
// API's "yyyy-mm-dd hh:mm:ss" in UTC, or ISO 8601 with a date, a time and a
// zone. Either must name an instant that exists: fields are checked against
// the calendar here, never handed to Date to roll over (Date.parse reads
// 2026-02-30 as 2 March). Commands use it through `param.datetime`; queries
// reuse it with their own code (3009 in item.get_list).

export type ParsedDateTime =
  | {
      readonly ok: true /** The instant as an ISO string in UTC, milliseconds precision. */;
      readonly iso: string;
    }
  | { readonly ok: false /** Why it is not a date-time, for `details.reason`. */; readonly reason: string };

export const dateTimeFormats = 'must be "yyyy-mm-dd hh:mm:ss" (UTC) or ISO 8601 with a time zone';

const publicApi = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
// Seconds and fraction optional; zone Z, ±hh, ±hhmm or ±hh:mm. A fraction
// finer than a millisecond is cut to the millisecond.
const iso8601 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)$/;

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, month: number): number =>
  month === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

const bad = (reason: string): ParsedDateTime => ({ ok: false, reason });
const pad = (n: number): string => String(n).padStart(2, '0');

interface Fields {
  readonly y: number;
  readonly mo: number;
  readonly d: number;
  readonly h: number;
  readonly mi: number;
  readonly s: number;
  readonly ms: number;
  readonly offsetMinutes: number;
}

function instant(f: Fields): ParsedDateTime {
  const date = `${String(f.y).padStart(4, '0')}-${pad(f.mo)}-${pad(f.d)}`;
  if (f.y < 1) return bad(`year ${f.y} is before year 1`);
  if (f.mo < 1 || f.mo > 12) return bad(`${date}: there is no month ${f.mo}`);
  const days = daysIn(f.y, f.mo);
  if (f.d < 1 || f.d > days)
    return bad(`${date} is not a date: ${monthNames[f.mo - 1]} ${f.y} has ${days} days`);
  if (f.h > 23) return bad(`hour ${f.h} does not exist (00..23)`);
  if (f.mi > 59) return bad(`minute ${f.mi} does not exist (00..59)`);
  if (f.s > 59) return bad(`second ${f.s} does not exist (00..59; leap seconds are not taken)`);
  // setUTCFullYear, not Date.UTC, which reads years 0..99 as 1900..1999.
  const t = new Date(0);
  t.setUTCFullYear(f.y, f.mo - 1, f.d);
  t.setUTCHours(f.h, f.mi, f.s, f.ms);
  const ms = t.getTime() - f.offsetMinutes * 60_000;
  const utc = new Date(ms);
  if (utc.getUTCFullYear() < 1 || utc.getUTCFullYear() > 9999)
    return bad('outside the years 0001..9999 in UTC');
  return { ok: true, iso: utc.toISOString() };
}

/** Reads a client's date-time; never throws, never rolls an impossible date over. */
export function parseDateTime(value: unknown): ParsedDateTime {
  if (typeof value !== 'string') return bad(dateTimeFormats);
  const plain = publicApi.exec(value);
  if (plain) {
    const [y, mo, d, h, mi, s] = plain.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return instant({ y, mo, d, h, mi, s, ms: 0, offsetMinutes: 0 });
  }
  const iso = iso8601.exec(value);
  if (!iso) return bad(dateTimeFormats);
  const [, y, mo, d, h, mi, s, fraction, zone, sign, oh, om] = iso;
  const offsetHours = Number(oh ?? 0);
  const offsetMins = Number(om ?? 0);
  if (zone !== 'Z' && (offsetHours > 23 || offsetMins > 59))
    return bad(`time zone offset ${zone} does not exist`);
  return instant({
    y: Number(y),
    mo: Number(mo),
    d: Number(d),
    h: Number(h),
    mi: Number(mi),
    s: Number(s ?? 0),
    ms: Number((fraction ?? '').padEnd(3, '0').slice(0, 3)),
    offsetMinutes: zone === 'Z' ? 0 : (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins),
  });
}
